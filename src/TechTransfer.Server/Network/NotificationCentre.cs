using Npgsql;
using TechTransfer.Notifications;

namespace TechTransfer.Network;

/// <summary>
/// An account's notification centre: the streams it reads (<see cref="Audiences"/>) merged newest first, each event
/// once (from the stream a connection would take it from, <see cref="Notification.IsReadFrom"/>), with what this
/// account has read of each stream (tt_stream_read: an organization's stream is read by each member on their own).
/// </summary>
public sealed class NotificationCentre(NpgsqlDataSource db, IGrainFactory grains)
{
    /// <summary>An event of the centre and whether the account has read it.</summary>
    public sealed record Entry(string Stream, Notification Notification, bool Read);

    /// <summary>Where a page ends: the stored time, the stream and the id of its last (oldest) event.</summary>
    public sealed record Position(DateTimeOffset StoredAt, string Stream, long Id)
    {
        public override string ToString() => $"{StoredAt.UtcTicks}:{Id}:{Stream}";

        public static Position? Parse(string text)
        {
            var parts = text.Split(':', 3);
            return parts.Length == 3 && long.TryParse(parts[0], out var ticks) && ticks >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
                && long.TryParse(parts[1], out var id) && id > 0 && parts[2].Length > 0
                ? new Position(new DateTimeOffset(ticks, TimeSpan.Zero), parts[2], id) : null;
        }
    }

    /// <summary>Unread events, counted in each stream up to <paramref name="Last"/> (the last id stored and pushed when counted).</summary>
    public sealed record Counts(int Unread, Dictionary<string, long> Last);

    // The event is shown from this row's stream only if it is the first (ordinal) of the event's streams the account
    // reads, as Notification.IsReadFrom decides for the hub. The streams are those of the event's first sending: one
    // sent again under its id to a new audience (a reviewer invited later) names none the new reader reads, and shows.
    const string FromThisStream = """
        (e.streams IS NULL OR n.inbox = coalesce((SELECT min(s COLLATE "C") FROM unnest(e.streams) s WHERE s = ANY($2)), n.inbox))
        """;

    /// <summary>A page, newest first, of the events before <paramref name="before"/> (null: the newest).</summary>
    public async Task<Entry[]> PageAsync(string account, string[] streams, Position? before, int max)
    {
        await using var command = db.CreateCommand($"""
            SELECT n.inbox, n.id, e.type, n.event_id, e.payload, n.created_at, e.streams,
                coalesce(n.id <= r.read_up_to OR n.id = ANY(r.read_ids), false)
            FROM tt_notification n JOIN tt_event e ON e.event_id = n.event_id
                LEFT JOIN tt_stream_read r ON r.account = $1 AND r.stream = n.inbox
            WHERE n.inbox = ANY($2) AND {FromThisStream}
                AND (n.created_at, n.inbox COLLATE "C", n.id) < ($3, $4 COLLATE "C", $5)
            ORDER BY n.created_at DESC, n.inbox COLLATE "C" DESC, n.id DESC LIMIT $6
            """);
        command.Parameters.Add(new() { Value = account });
        command.Parameters.Add(new() { Value = streams });
        command.Parameters.Add(new() { Value = before?.StoredAt ?? DateTimeOffset.MaxValue });
        command.Parameters.Add(new() { Value = before?.Stream ?? "" });
        command.Parameters.Add(new() { Value = before?.Id ?? 0L });
        command.Parameters.Add(new() { Value = max });
        await using var reader = await command.ExecuteReaderAsync();
        var items = new List<Entry>();
        while (await reader.ReadAsync())
            items.Add(new Entry(reader.GetString(0), new Notification(reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<string[]>(6)), reader.GetBoolean(7)));
        return [.. items];
    }

    public async Task<Counts> CountsAsync(string account, string[] streams)
    {
        // Each stream's "last" first: an event stored after it is neither counted nor claimed to be.
        var last = await Task.WhenAll(streams.Select(s => grains.GetGrain<IInboxGrain>(s).LastAsync()));
        await using var command = db.CreateCommand($"""
            SELECT count(*) FROM unnest($2::text[], $3::bigint[]) f(stream, last)
                JOIN tt_notification n ON n.inbox = f.stream AND n.id <= f.last
                JOIN tt_event e ON e.event_id = n.event_id
                LEFT JOIN tt_stream_read r ON r.account = $1 AND r.stream = n.inbox
            WHERE n.id > coalesce(r.read_up_to, 0) AND NOT n.id = ANY(coalesce(r.read_ids, ARRAY[]::bigint[])) AND {FromThisStream}
            """);
        command.Parameters.Add(new() { Value = account });
        command.Parameters.Add(new() { Value = streams });
        command.Parameters.Add(new() { Value = last });
        var unread = (int)(long)(await command.ExecuteScalarAsync())!;
        return new Counts(unread, streams.Zip(last).ToDictionary(p => p.First, p => p.Second));
    }

    /// <summary>Marks one event read; false when the stream holds no such event.</summary>
    public async Task<bool> MarkReadAsync(string account, string stream, long id)
    {
        // Single ids are kept only above the cursor and within what the stream still holds.
        await using var command = db.CreateCommand($"""
            INSERT INTO tt_stream_read AS r (account, stream, read_ids)
            SELECT $1, $2, ARRAY[$3] WHERE EXISTS (SELECT 1 FROM tt_notification WHERE inbox = $2 AND id = $3)
            ON CONFLICT (account, stream) DO UPDATE SET read_ids = ARRAY(
                SELECT DISTINCT i FROM unnest(r.read_ids || $3) i
                WHERE i > r.read_up_to AND i > (SELECT max(id) FROM tt_notification WHERE inbox = $2) - {InboxGrain.Capacity} ORDER BY i)
            """);
        command.Parameters.Add(new() { Value = account });
        command.Parameters.Add(new() { Value = stream });
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteNonQueryAsync() > 0;
    }

    /// <summary>Marks every event read up to the id <paramref name="upTo"/> gives for each stream (null: all of them, up to what is stored).</summary>
    public async Task MarkAllReadAsync(string account, string[] streams, IReadOnlyDictionary<string, long>? upTo)
    {
        var last = await Task.WhenAll(streams.Select(s => grains.GetGrain<IInboxGrain>(s).LastAsync()));
        var bounds = streams.Zip(last).Select(p => Math.Clamp(upTo is null ? p.Second : upTo.GetValueOrDefault(p.First), 0, p.Second)).ToArray();
        await using var command = db.CreateCommand("""
            INSERT INTO tt_stream_read AS r (account, stream, read_up_to)
            SELECT $1, f.stream, f.up_to FROM unnest($2::text[], $3::bigint[]) f(stream, up_to) WHERE f.up_to > 0
            ON CONFLICT (account, stream) DO UPDATE SET read_up_to = greatest(r.read_up_to, excluded.read_up_to),
                read_ids = ARRAY(SELECT i FROM unnest(r.read_ids) i WHERE i > greatest(r.read_up_to, excluded.read_up_to) ORDER BY i)
            """);
        command.Parameters.Add(new() { Value = account });
        command.Parameters.Add(new() { Value = streams });
        command.Parameters.Add(new() { Value = bounds });
        await command.ExecuteNonQueryAsync();
    }
}
