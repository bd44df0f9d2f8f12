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
/// a batch at a time; two hosts sweeping together delete each row once.
/// </summary>
public sealed class MatchPruner(NpgsqlDataSource db, IOptions<MatchingOptions> options, TimeProvider clock, ILogger<MatchPruner> logger)
    : BackgroundService
{
    const int Batch = 1000;

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
        while (true)
        {
            // Both sides through their own index (tt_match_achievement, tt_match_demand); a listing's status change
            // sets its updated_at, so "off the market since" is that.
            await using var command = db.CreateCommand("""
                WITH gone AS (
                    SELECT id FROM tt_listing WHERE status NOT IN ('Draft', 'Published') AND updated_at < now() - $1),
                prunable AS (
                    SELECT m.id FROM gone g JOIN tt_match m ON m.achievement_id = g.id
                    WHERE m.announce_due IS NULL AND NOT EXISTS (SELECT 1 FROM tt_deal d WHERE d.id = m.id)
                    UNION
                    SELECT m.id FROM gone g JOIN tt_match m ON m.demand_id = g.id
                    WHERE m.announce_due IS NULL AND NOT EXISTS (SELECT 1 FROM tt_deal d WHERE d.id = m.id)
                    LIMIT $2)
                DELETE FROM tt_match WHERE id IN (SELECT id FROM prunable)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = options.Value.KeepMatchesOffMarket, NpgsqlDbType = NpgsqlDbType.Interval });
            command.Parameters.Add(new NpgsqlParameter { Value = Batch });
            var removed = await command.ExecuteNonQueryAsync(cancellation);
            total += removed;
            if (removed < Batch) return total;
        }
    }
}
