using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using TechTransfer.Storage;

namespace TechTransfer.Matching;

/// <summary>
/// Announces the stored matches nobody announced: the publishing host's announcement failed (an outage, a crash
/// between the store and the push) and its retry, if any, ranked other partners higher (the sweep: <see cref="Notifications.OutboxSweep"/>).
/// </summary>
public sealed class MatchOutbox(
    NpgsqlDataSource db, Notifications.Notifier notifier, IOptions<MatchingOptions> options, TimeProvider clock, ILogger<MatchOutbox> logger)
    : Notifications.OutboxSweep(options.Value.AnnounceRetryAfter, clock, logger)
{
    /// <summary>Announces one batch of due matches; returns how many were due.</summary>
    protected override async Task<int> AnnounceDueAsync(TimeSpan lease, CancellationToken cancellation)
    {
        var due = await LeaseAsync(lease, cancellation);
        if (due.Count == 0) return 0;
        var live = due.Where(d => d.BothPublished).Select(d => d.Match).ToArray();
        if (live.Length > 0)
        {
            await notifier.MatchFoundAsync(live);
            Telemetry.Metrics.MatchesAnnouncedLate.Add(live.Length);
            logger.LogInformation("Announced {Count} matches whose first announcement had failed", live.Length);
        }
        // A match whose listing left the market meanwhile is no longer shown anywhere: not announced, not due.
        await ListingMatcher.MarkAnnouncedAsync(db, [.. due.Select(d => d.Match.MatchId)], cancellation);
        return due.Count;
    }

    sealed record Due(MatchCandidate Match, bool BothPublished);

    async Task<List<Due>> LeaseAsync(TimeSpan lease, CancellationToken cancellation)
    {
        await using var command = db.CreateCommand("""
            WITH due AS (
                SELECT id FROM tt_match WHERE announce_due <= now() ORDER BY announce_due LIMIT $1 FOR UPDATE SKIP LOCKED),
            leased AS (
                UPDATE tt_match m SET announce_due = now() + $2 FROM due WHERE m.id = due.id
                RETURNING m.achievement_id, m.demand_id, m.score, m.explanation)
            SELECT l.achievement_id, l.demand_id, l.score, l.explanation::text,
                   a.title, d.title, a.owner_org, d.owner_org, a.region, d.region,
                   coalesce(a.status = 'Published' AND d.status = 'Published', false)
            FROM leased l
            LEFT JOIN tt_listing a ON a.id = l.achievement_id
            LEFT JOIN tt_listing d ON d.id = l.demand_id
            """);
        command.Parameters.Add(new() { Value = Batch });
        command.Parameters.Add(new() { Value = lease, NpgsqlDbType = NpgsqlDbType.Interval });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var result = new List<Due>();
        while (await reader.ReadAsync(cancellation))
        {
            var published = reader.GetBoolean(10);
            var match = new MatchCandidate(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                published ? reader.GetString(4) : "", published ? reader.GetString(5) : "",
                JsonSerializer.Deserialize<MatchExplanation>(reader.GetString(3), TechTransferJson.Options)!,
                published ? reader.GetString(6) : "", published ? reader.GetString(7) : "",
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9));
            result.Add(new Due(match, published));
        }
        return result;
    }
}
