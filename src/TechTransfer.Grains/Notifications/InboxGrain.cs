using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Concurrency;
using Orleans.Utilities;

namespace TechTransfer.Notifications;

/// <remarks>
/// Reentrant so appends can queue while a flush is being committed: a center's stream receives every match of the
/// region, 150 a second under bench-push, and one commit per event could not keep up.
/// Reads and subscriptions interleave too; they see <c>last</c>, which only moves once events are stored and pushed.
/// </remarks>
[Reentrant]
public sealed class InboxGrain(NpgsqlDataSource db, NotificationLog log, ILogger<InboxGrain> logger) : Grain, IInboxGrain
{
    /// <summary>How many events an inbox keeps; a client away for longer resumes from the oldest kept.</summary>
    public const int Capacity = 1000;

    readonly ObserverManager<string, IInboxObserver> hosts = new(TimeSpan.FromMinutes(3), logger);
    readonly List<(NotificationDraft Draft, TaskCompletionSource Done)> waiting = [];
    Task? flushing;
    long last; // the last event stored and pushed
    long trimmed; // this activation has removed every id up to here

    string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellation) => last = await LastStoredAsync(cancellation);

    async Task<long> LastStoredAsync(CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("SELECT coalesce(max(id), 0) FROM tt_notification WHERE inbox = $1");
        command.Parameters.Add(new() { Value = Key });
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
    }

    public Task AppendAsync(NotificationDraft draft)
    {
        var done = new TaskCompletionSource();
        waiting.Add((draft, done));
        if (flushing is null || flushing.IsCompleted) flushing = FlushAsync();
        return done.Task;
    }

    /// <summary>
    /// One flush at a time: the events that arrive while one is being committed go together in the next. Each
    /// append returns once its event is stored (or found there already) and pushed.
    /// </summary>
    async Task FlushAsync()
    {
        while (waiting.Count > 0)
        {
            var batch = waiting.ToArray();
            waiting.Clear();
            try
            {
                await StoreAndPushAsync([.. batch.Select(b => b.Draft).DistinctBy(d => d.EventId)]);
                foreach (var (_, done) in batch) done.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var (_, done) in batch) done.TrySetException(e);
            }
        }
    }

    async Task StoreAndPushAsync(NotificationDraft[] drafts)
    {
        Notification?[] stored;
        try
        {
            stored = await InsertAsync(drafts, last + 1);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another activation wrote meanwhile (a silo was declared dead while still running): take up its ids.
            last = await LastStoredAsync();
            stored = await InsertAsync(drafts, last + 1);
        }
        // Stored all, pushed in id order: a host that sees an id never has to wait for an earlier one to be written.
        // An event the inbox holds already keeps its first id and is not pushed again (its new id stays unused).
        // The synchronous Notify: DeliverAsync is one-way, and no await inside the walk over the subscribers, so a
        // subscription arriving meanwhile (the grain is reentrant) cannot change the collection under it.
        var before = last;
        foreach (var notification in stored.OfType<Notification>())
        {
            last = notification.Id;
            hosts.Notify((IInboxObserver host) => { _ = host.DeliverAsync(Key, notification); });
        }
        if (last / 100 > before / 100) await TrimAsync();
    }

    // Group-committed with other inboxes' rows (NotificationLog); this grain waits for all of its own.
    async Task<Notification?[]> InsertAsync(NotificationDraft[] drafts, long firstId) =>
        await Task.WhenAll(drafts.Select(async (draft, i) =>
            await log.InsertAsync(Key, firstId + i, draft) is { } created
                ? new Notification(firstId + i, draft.Type, draft.EventId, draft.Payload, created, draft.Streams)
                : null));

    // Only the ids that fell out since the last trim: a full inbox trims 100 rows each time, and the scan never walks
    // back over rows removed before (dead index entries until vacuum). The first trim of an activation sweeps all.
    // Then the payloads no inbox holds any more. A separate statement after the rows' commit: of two inboxes
    // trimming the same event at once, the later one to commit sees the other's row gone, so none is left behind.
    async Task TrimAsync()
    {
        var bound = last - Capacity;
        if (bound <= trimmed) return;
        string[] released;
        await using (var command = db.CreateCommand("DELETE FROM tt_notification WHERE inbox = $1 AND id > $2 AND id <= $3 RETURNING event_id"))
        {
            command.Parameters.Add(new() { Value = Key });
            command.Parameters.Add(new() { Value = trimmed });
            command.Parameters.Add(new() { Value = bound });
            var list = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) list.Add(reader.GetString(0));
            released = [.. list];
        }
        trimmed = bound;
        if (released.Length == 0) return;
        await using var events = db.CreateCommand("""
            DELETE FROM tt_event e WHERE e.event_id = ANY($1)
                AND NOT EXISTS (SELECT 1 FROM tt_notification n WHERE n.event_id = e.event_id)
            """);
        events.Parameters.Add(new() { Value = released });
        await events.ExecuteNonQueryAsync();
    }

    public async Task<Notification[]> ReadAfterAsync(long afterId, int max)
    {
        await using var command = db.CreateCommand(
            """
            SELECT n.id, e.type, n.event_id, e.payload, n.created_at, e.streams
            FROM tt_notification n JOIN tt_event e ON e.event_id = n.event_id
            WHERE n.inbox = $1 AND n.id > $2 ORDER BY n.id LIMIT $3
            """);
        command.Parameters.Add(new() { Value = Key });
        command.Parameters.Add(new() { Value = afterId });
        command.Parameters.Add(new() { Value = Math.Clamp(max, 1, Capacity) });
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<Notification>();
        while (await reader.ReadAsync())
            result.Add(new Notification(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<string[]>(5)));
        return [.. result];
    }

    public Task<long> LastAsync() => Task.FromResult(last);

    // The notification centre of the build before delivery on read (migration 025) read one account's inbox through
    // these four and tt_inbox_read. Kept while hosts of that build may run beside this one (a rolling upgrade:
    // docs/reliability.md); nothing of this build calls them.

    public async Task<InboxPage> PageAsync(long? beforeId, int max)
    {
        var counts = await CountsAsync();
        await using var command = db.CreateCommand(
            """
            SELECT n.id, e.type, n.event_id, e.payload, n.created_at,
                coalesce(n.id <= r.read_up_to OR n.id = ANY(r.read_ids), false)
            FROM tt_notification n JOIN tt_event e ON e.event_id = n.event_id LEFT JOIN tt_inbox_read r ON r.inbox = n.inbox
            WHERE n.inbox = $1 AND n.id < $2 ORDER BY n.id DESC LIMIT $3
            """);
        command.Parameters.Add(new() { Value = Key });
        command.Parameters.Add(new() { Value = beforeId ?? long.MaxValue });
        command.Parameters.Add(new() { Value = Math.Clamp(max, 1, Capacity) });
        await using var reader = await command.ExecuteReaderAsync();
        var items = new List<InboxEntry>();
        while (await reader.ReadAsync())
            items.Add(new InboxEntry(new Notification(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4)), reader.GetBoolean(5)));
        return new InboxPage([.. items], counts);
    }

    public async Task<InboxCounts> CountsAsync()
    {
        // "last" first: an event stored after it is neither counted nor claimed to be.
        var upTo = last;
        await using var command = db.CreateCommand("""
            SELECT count(*) FROM tt_notification n LEFT JOIN tt_inbox_read r ON r.inbox = n.inbox
            WHERE n.inbox = $1 AND n.id <= $2 AND n.id > coalesce(r.read_up_to, 0) AND NOT n.id = ANY(coalesce(r.read_ids, '{}'))
            """);
        command.Parameters.Add(new() { Value = Key });
        command.Parameters.Add(new() { Value = upTo });
        return new InboxCounts((int)(long)(await command.ExecuteScalarAsync())!, upTo);
    }

    public async Task<InboxCounts?> MarkReadAsync(long id)
    {
        // Single ids are kept only above the cursor and within what the inbox still holds.
        await using var command = db.CreateCommand("""
            INSERT INTO tt_inbox_read AS r (inbox, read_ids)
            SELECT $1, ARRAY[$2] WHERE EXISTS (SELECT 1 FROM tt_notification WHERE inbox = $1 AND id = $2)
            ON CONFLICT (inbox) DO UPDATE SET read_ids = ARRAY(
                SELECT DISTINCT i FROM unnest(r.read_ids || $2) i WHERE i > r.read_up_to AND i > $3 ORDER BY i)
            """);
        command.Parameters.Add(new() { Value = Key });
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = last - Capacity });
        return await command.ExecuteNonQueryAsync() == 0 ? null : await CountsAsync();
    }

    public async Task<InboxCounts> MarkAllReadAsync(long upToId)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO tt_inbox_read AS r (inbox, read_up_to) VALUES ($1, $2)
            ON CONFLICT (inbox) DO UPDATE SET read_up_to = greatest(r.read_up_to, $2),
                read_ids = ARRAY(SELECT i FROM unnest(r.read_ids) i WHERE i > greatest(r.read_up_to, $2) ORDER BY i)
            """);
        command.Parameters.Add(new() { Value = Key });
        command.Parameters.Add(new() { Value = Math.Clamp(upToId, 0, last) });
        await command.ExecuteNonQueryAsync();
        return await CountsAsync();
    }

    public Task<long> SubscribeAsync(string hostId, IInboxObserver observer)
    {
        hosts.Subscribe(hostId, observer);
        return Task.FromResult(last);
    }

    public Task UnsubscribeAsync(string hostId)
    {
        hosts.Unsubscribe(hostId);
        return Task.CompletedTask;
    }
}
