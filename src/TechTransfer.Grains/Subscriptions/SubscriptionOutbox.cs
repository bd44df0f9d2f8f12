using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using TechTransfer.Matching;
using TechTransfer.Notifications;

namespace TechTransfer.Subscriptions;

/// <summary>
/// Announces the subscription notices nobody announced (the publishing host crashed, or PostgreSQL or a silo went
/// away, between storing a hit and the owner's inbox holding it), as <see cref="MatchOutbox"/> does for matches.
/// </summary>
public sealed class SubscriptionOutbox(
    NpgsqlDataSource db, Notifier notifier, IOptions<MatchingOptions> options, TimeProvider clock, ILogger<SubscriptionOutbox> logger)
    : OutboxSweep(options.Value.AnnounceRetryAfter, clock, logger)
{
    sealed record Due(string AccountId, SubscriptionHit Hit, string OwnerOrganizationId, bool Published);

    /// <summary>Announces one batch of due notices; returns how many were due.</summary>
    protected override async Task<int> AnnounceDueAsync(TimeSpan lease, CancellationToken cancellation)
    {
        var due = await LeaseAsync(lease, cancellation);
        if (due.Count == 0) return 0;
        // A listing that left the market meanwhile is not announced: the subscriber could no longer see it.
        var live = due.Where(d => d.Published).ToList();
        var names = new Dictionary<string, string?>();
        foreach (var organization in live.Select(d => d.OwnerOrganizationId).Distinct())
            names[organization] = await notifier.OrganizationNameAsync(organization);
        if (live.Count > 0)
        {
            await notifier.SubscriptionHitsAsync([.. live.Select(d => (d.AccountId, d.Hit with { Publisher = names[d.OwnerOrganizationId] }))]);
            logger.LogInformation("Announced {Count} subscription notices whose first announcement had failed", live.Count);
        }
        foreach (var listing in due.GroupBy(d => d.Hit.ListingId))
            await SubscriptionMatcher.MarkAnnouncedAsync(db, listing.Key, [.. listing.Select(d => d.Hit.SubscriptionId)], cancellation);
        return due.Count;
    }

    async Task<List<Due>> LeaseAsync(TimeSpan lease, CancellationToken cancellation)
    {
        await using var command = db.CreateCommand("""
            WITH due AS (
                SELECT subscription_id, listing_id FROM tt_subscription_hit WHERE announce_due <= now()
                ORDER BY announce_due LIMIT $1 FOR UPDATE SKIP LOCKED),
            leased AS (
                UPDATE tt_subscription_hit h SET announce_due = now() + $2 FROM due
                WHERE h.subscription_id = due.subscription_id AND h.listing_id = due.listing_id
                RETURNING h.subscription_id, h.listing_id)
            SELECT s.id, s.account_id, s.name, d.listing_id, coalesce(l.kind, ''), coalesce(l.title, ''), coalesce(l.tech_field, ''),
                   coalesce(l.province, ''), coalesce(l.owner_org, ''), coalesce(l.status = 'Published', false)
            FROM leased d
            JOIN tt_subscription s ON s.id = d.subscription_id
            LEFT JOIN tt_listing l ON l.id = d.listing_id
            """);
        command.Parameters.Add(new() { Value = Batch });
        command.Parameters.Add(new() { Value = lease, NpgsqlDbType = NpgsqlDbType.Interval });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var result = new List<Due>();
        while (await reader.ReadAsync(cancellation))
            result.Add(new Due(reader.GetString(1),
                new SubscriptionHit(reader.GetString(0), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    reader.GetString(6), reader.GetString(7), Publisher: null),
                reader.GetString(8), reader.GetBoolean(9)));
        return result;
    }
}
