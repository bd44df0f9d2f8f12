using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Notifications;

namespace TechTransfer.Subscriptions;

/// <summary>
/// Tells the subscriptions a newly published listing satisfies (docs/portal.md, "订阅"). Runs on the publishing host,
/// beside the match: PostgreSQL picks the candidates whose filters the listing passes (one index probe per
/// value-or-any combination), then each candidate's text is run against that one listing in the market's index,
/// as search would run it. A hit is stored, due, before it is announced, and marked announced once the owner's
/// inbox holds it; what a crash leaves due, <see cref="SubscriptionOutbox"/> announces.
/// </summary>
public sealed class SubscriptionMatcher(MarketSearch search, NpgsqlDataSource db, Notifier notifier, IOptions<MatchingOptions> options)
{
    sealed record Candidate(string Id, string AccountId, string Name, string Q);

    public async Task NotifyAsync(ListingDocument listing, CancellationToken cancellation = default)
    {
        var candidates = await CandidatesAsync(listing, cancellation);
        if (candidates.Count == 0) return;
        await search.CatchUpAsync(cancellation); // the listing itself is in the index
        var finds = await search.FindsAsync(listing.Id, [.. candidates.Select(c => c.Q)], cancellation);
        var hits = candidates.Where((_, i) => finds[i]).OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        if (hits.Length == 0) return;
        var due = await StoreAsync(listing.Id, [.. hits.Select(h => h.Id)], cancellation);
        hits = [.. hits.Where(h => due.Contains(h.Id))];
        if (hits.Length == 0) return;
        var kind = listing.Kind == ListingKind.Achievement ? "achievement" : "demand";
        var publisher = await notifier.OrganizationNameAsync(listing.OwnerOrganizationId);
        await notifier.SubscriptionHitsAsync([.. hits.Select(h => (h.AccountId,
            new SubscriptionHit(h.Id, h.Name, listing.Id, kind, listing.Title, listing.TechField, listing.Province, publisher)))]);
        await MarkAnnouncedAsync(db, listing.Id, [.. hits.Select(h => h.Id)], cancellation);
    }

    /// <summary>
    /// The subscriptions whose filters the listing passes, as search applies them: an unpriced listing passes no
    /// price limit. Another organization's only: nobody is told of their own organization's listing.
    /// </summary>
    async Task<List<Candidate>> CandidatesAsync(ListingDocument listing, CancellationToken cancellation)
    {
        await using var command = db.CreateCommand("""
            SELECT id, account_id, name, q FROM tt_subscription
            WHERE tech_field = ANY($1) AND province = ANY($2) AND region = ANY($3) AND kind = ANY($4)
              AND trl_min <= $5 AND (price_max IS NULL OR price_max >= $6) AND organization_id <> $7
            """);
        command.Parameters.Add(new() { Value = new[] { listing.TechField, "*" } });
        command.Parameters.Add(new() { Value = new[] { listing.Province, "*" } });
        command.Parameters.Add(new() { Value = listing.RegionCode is { } region ? new[] { region, "*" } : new[] { "*" } });
        command.Parameters.Add(new() { Value = new[] { listing.Kind == ListingKind.Achievement ? "achievement" : "demand", "*" } });
        command.Parameters.Add(new() { Value = listing.Trl });
        command.Parameters.Add(new() { Value = (object?)listing.Price ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new() { Value = listing.OwnerOrganizationId });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var result = new List<Candidate>();
        while (await reader.ReadAsync(cancellation))
            result.Add(new Candidate(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return result;
    }

    // In id order, like every writer of these rows. A hit stored already (a retried publish) keeps its state:
    // announced once is enough, outstanding stays due. A subscription deleted meanwhile is skipped. Returns the
    // subscriptions whose notice of this listing is due: a retried publish announces only what is still outstanding
    // (and an inbox stores each subscription's notice of a listing once, should the outbox announce it meanwhile).
    async Task<HashSet<string>> StoreAsync(string listingId, string[] subscriptionIds, CancellationToken cancellation)
    {
        await using var batch = db.CreateBatch();
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO tt_subscription_hit (subscription_id, listing_id, announce_due)
            SELECT s.id, $2, now() + $3 FROM tt_subscription s WHERE s.id = ANY($1) ORDER BY s.id
            ON CONFLICT (subscription_id, listing_id) DO NOTHING
            """);
        insert.Parameters.Add(new() { Value = subscriptionIds });
        insert.Parameters.Add(new() { Value = listingId });
        insert.Parameters.Add(new() { Value = options.Value.AnnounceRetryAfter, NpgsqlDbType = NpgsqlDbType.Interval });
        var due = new NpgsqlBatchCommand("""
            SELECT subscription_id FROM tt_subscription_hit WHERE listing_id = $1 AND subscription_id = ANY($2) AND announce_due IS NOT NULL
            """);
        due.Parameters.Add(new() { Value = listingId });
        due.Parameters.Add(new() { Value = subscriptionIds });
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(due);
        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        var result = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellation)) result.Add(reader.GetString(0));
        return result;
    }

    /// <summary>The owners' inboxes hold these notices: the outbox sweep leaves them alone.</summary>
    internal static async Task MarkAnnouncedAsync(NpgsqlDataSource db, string listingId, string[] subscriptionIds, CancellationToken cancellation)
    {
        await using var command = db.CreateCommand("""
            UPDATE tt_subscription_hit SET announce_due = NULL
            WHERE listing_id = $1 AND subscription_id = ANY($2) AND announce_due IS NOT NULL
            """);
        command.Parameters.Add(new() { Value = listingId });
        command.Parameters.Add(new() { Value = subscriptionIds });
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
