using System.Threading.Channels;
using Npgsql;

namespace TechTransfer.Notifications;

/// <summary>
/// Writes inbox events (tt_notification, payloads once per event in tt_event) with group commit: the rows that inbox grains hand in while a write
/// is in flight go together in the next one (one statement, one transaction). A match fans out to a dozen or
/// more inboxes, so under load this turns thousands of single-row transactions a second into a few hundred.
/// Nothing about an inbox changes: its grain numbers its events, hands in one row at a time and awaits that
/// row's commit before pushing it (stored before pushed); a batch only shares the round trip and the commit.
/// With little traffic a row goes alone, as soon as it arrives.
/// </summary>
public sealed class NotificationLog : IDisposable
{
    const int MaxBatch = 256;
    const int Writers = 2; // one batch commits while the next one fills

    readonly NpgsqlDataSource db;
    readonly Channel<Row> queue = Channel.CreateUnbounded<Row>();

    public NotificationLog(NpgsqlDataSource db)
    {
        this.db = db;
        for (var i = 0; i < Writers; i++) _ = Task.Run(WriteLoopAsync);
    }

    sealed record Row(string Inbox, long Id, NotificationDraft Draft)
    {
        // Completed inline on the writer loop: the awaiting inbox grain's continuation is queued to its own
        // activation's scheduler anyway, so an extra thread-pool hop per row (thousands a second) bought nothing.
        public readonly TaskCompletionSource<DateTimeOffset?> Stored = new();
    }

    /// <summary>
    /// Stores event <paramref name="draft"/> as number <paramref name="id"/> of <paramref name="inbox"/>; returns when
    /// it is committed, or null when that inbox already holds the event. Fails like a single INSERT would (a
    /// unique violation when the number is taken).
    /// </summary>
    public Task<DateTimeOffset?> InsertAsync(string inbox, long id, NotificationDraft draft)
    {
        var row = new Row(inbox, id, draft);
        if (!queue.Writer.TryWrite(row)) throw new ObjectDisposedException(nameof(NotificationLog));
        return row.Stored.Task;
    }

    async Task WriteLoopAsync()
    {
        var batch = new List<Row>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var row)) batch.Add(row);
            if (batch.Count == 0) continue;
            try
            {
                var stored = await InsertBatchAsync(batch);
                foreach (var row in batch) row.Stored.TrySetResult(stored.TryGetValue((row.Inbox, row.Id), out var at) ? at : null);
            }
            catch (PostgresException e) when (batch.Count > 1 && e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // A number already taken (two activations of one inbox for a moment): each row on its own, so only
                // the inbox concerned hears of it and retries.
                foreach (var row in batch) await InsertOneAsync(row);
            }
            catch (Exception e)
            {
                foreach (var row in batch) row.Stored.TrySetException(e);
            }
        }
    }

    async Task InsertOneAsync(Row row)
    {
        try
        {
            var stored = await InsertBatchAsync([row]);
            row.Stored.TrySetResult(stored.TryGetValue((row.Inbox, row.Id), out var at) ? at : null);
        }
        catch (Exception e)
        {
            row.Stored.TrySetException(e);
        }
    }

    // One statement: each event of the batch once into tt_event (an event usually reaches a dozen inboxes, and its
    // payload is stored once for all of them), then the inbox rows, which hold only the event's id.
    // Rows go in sorted by event id: batches of other writers (here or on other hosts) carry rows of the same
    // events, and each waits for the other's uncommitted event row; in a common order that wait cannot become a
    // deadlock (it did under bench-push: PostgreSQL broke one every few seconds, after its 1 s deadlock_timeout).
    async Task<Dictionary<(string, long), DateTimeOffset>> InsertBatchAsync(IReadOnlyList<Row> batch)
    {
        var rows = batch.OrderBy(r => r.Draft.EventId, StringComparer.Ordinal).ThenBy(r => r.Inbox, StringComparer.Ordinal).ToArray();
        await using var command = db.CreateCommand("""
            WITH event AS (
                INSERT INTO tt_event (event_id, type, payload, streams)
                SELECT e.id, e.type, e.payload, CASE WHEN e.streams = '' THEN NULL ELSE string_to_array(e.streams, ' ') END
                FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) e(id, type, payload, streams)
                ON CONFLICT (event_id) DO NOTHING)
            INSERT INTO tt_notification (inbox, id, event_id)
            SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])
            ON CONFLICT (event_id, inbox) DO NOTHING
            RETURNING inbox, id, created_at
            """);
        var events = rows.Select(r => r.Draft).DistinctBy(d => d.EventId).ToArray();
        command.Parameters.Add(new() { Value = rows.Select(r => r.Inbox).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Id).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Draft.EventId).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.EventId).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.Type).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.Payload).ToArray() });
        // unnest cannot take an array of arrays of different lengths: each event's streams as one string (keys hold no spaces).
        command.Parameters.Add(new() { Value = events.Select(e => string.Join(' ', e.Streams ?? [])).ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new Dictionary<(string, long), DateTimeOffset>(rows.Length);
        while (await reader.ReadAsync()) stored[(reader.GetString(0), reader.GetInt64(1))] = reader.GetFieldValue<DateTimeOffset>(2);
        return stored;
    }

    public void Dispose() => queue.Writer.TryComplete();
}
