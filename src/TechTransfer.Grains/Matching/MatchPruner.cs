using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace TechTransfer.Matching;

/// <summary>
/// Keeps tt_match to what the market still holds: the matches of a listing that left the market (withdrawn,
/// transferred, closed, fulfilled, expired) more than <see cref="MatchingOptions.KeepMatchesOffMarket"/> ago are
/// deleted, unless the pair became a deal (its grain reads the match's facts) or its announcement is still due.
/// Without it the table only grows: ten matches per listing ever published (issue 20). Every host sweeps once a day,
/// a batch at a time; two hosts sweeping together delete each row once. A sweep reads only the listings that left the
/// market since the last one (less <see cref="Overlap"/>), through a partial index, not every listing that ever left.
/// </summary>
public sealed class MatchPruner(NpgsqlDataSource db, IOptions<MatchingOptions> options, TimeProvider clock, ILogger<MatchPruner> logger)
    : BackgroundService
{
    const int Batch = 1000;

    /// <summary>
    /// How far back before the last sweep's cutoff the next one looks again: a match whose announcement was still due
    /// then (due ones are kept) is announced within minutes, so a week catches every one of them.
    /// </summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromDays(7);

    // The cutoff of this host's last complete sweep: everything that left the market before it was looked at. Null
    // after a start, so the first sweep reads every listing off the market once.
    DateTimeOffset? swept;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), clock);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                var removed = await PruneAsync(stopping);
                if (removed > 0) logger.LogInformation("Pruned {Count} matches of listings off the market", removed);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Pruning matches failed; trying again tomorrow");
            }
        }
    }

    /// <summary>Deletes every prunable match, a batch at a time; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellation = default)
    {
        var total = 0;
        var cutoff = clock.GetUtcNow() - options.Value.KeepMatchesOffMarket;
        // -infinity before the first sweep: everything off the market is read once.
        var from = swept is { } last ? (last - Overlap).UtcDateTime : DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        while (true)
        {
            // The listings off the market between the window's ends (tt_listing_off_market), then both sides through
            // their own index (tt_match_achievement, tt_match_demand); a listing's status change sets its updated_at,
            // so "off the market since" is that.
            await using var command = db.CreateCommand("""
                WITH gone AS (
                    SELECT id FROM tt_listing WHERE status NOT IN ('Draft', 'Published') AND updated_at < $1 AND updated_at >= $3),
                prunable AS (
                    SELECT m.id FROM gone g JOIN tt_match m ON m.achievement_id = g.id
                    WHERE m.announce_due IS NULL AND NOT EXISTS (SELECT 1 FROM tt_deal d WHERE d.id = m.id)
                    UNION
                    SELECT m.id FROM gone g JOIN tt_match m ON m.demand_id = g.id
                    WHERE m.announce_due IS NULL AND NOT EXISTS (SELECT 1 FROM tt_deal d WHERE d.id = m.id)
                    LIMIT $2)
                DELETE FROM tt_match WHERE id IN (SELECT id FROM prunable)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = cutoff.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new NpgsqlParameter { Value = Batch });
            command.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            var removed = await command.ExecuteNonQueryAsync(cancellation);
            total += removed;
            if (removed >= Batch) continue;
            swept = cutoff;
            return total;
        }
    }
}
