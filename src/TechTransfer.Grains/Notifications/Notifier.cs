using TechTransfer.Matching;
using TechTransfer.Organizations;

namespace TechTransfer.Notifications;

/// <summary>
/// Who hears of what, decided here on the server. An event is stored once in the stream of each audience it concerns
/// (<see cref="Inboxes"/>: an organization, a regional center, national, or one account), never once per person in
/// them: what a publish costs does not grow with the brokers of a center or the members of an organization. A
/// connection reads the streams its account is entitled to (<see cref="Audiences"/>), and takes an event that
/// reached several of them from one only.
/// </summary>
public sealed class Notifier(IGrainFactory grains)
{
    /// <summary>
    /// The matches of one publish are independent events: sent side by side, so the tenth does not wait for the
    /// first nine. Each stream still numbers what it receives one after another. Each organization is asked for its
    /// name once for all of them.
    /// </summary>
    public async Task MatchFoundAsync(IReadOnlyCollection<MatchCandidate> matches)
    {
        var organizations = matches.SelectMany(m => new[] { m.AchievementOrganizationId, m.DemandOrganizationId }).Distinct().ToArray();
        var names = (await Task.WhenAll(organizations.Select(async o => (Id: o, Name: await OrganizationNameAsync(o)))))
            .Where(o => o.Name is not null).ToDictionary(o => o.Id, o => o.Name);
        await Task.WhenAll(matches.Select(m => SendAsync(
            NotificationDraft.Of(m.MatchId, new MatchFound(m.MatchId, m.AchievementId, m.DemandId, m.Score, m.AchievementTitle, m.DemandTitle, m.Explanation,
                names.GetValueOrDefault(m.AchievementOrganizationId), names.GetValueOrDefault(m.DemandOrganizationId),
                m.AchievementOrganizationId, m.DemandOrganizationId)),
            Organizations(m.AchievementOrganizationId, m.DemandOrganizationId).Concat(Regions(m.AchievementRegion, m.DemandRegion)))));
    }

    /// <summary>A listing went on the market: its center's stream (its brokers) and national.</summary>
    public Task ListingPublishedAsync(ListingPublished published, int version) =>
        SendAsync(NotificationDraft.Of($"{published.ListingId}@{version}", published), [Inboxes.Region(published.RegionCode), Inboxes.National]);

    /// <summary>A deal moved: its parties, both centers and national.</summary>
    public Task DealUpdatedAsync(DealUpdated update, Deals.DealFacts facts) =>
        SendAsync(NotificationDraft.Of($"{update.DealId}@{update.Version}", update),
            [.. Organizations(facts.AchievementOrganizationId, facts.DemandOrganizationId), .. Regions(facts.Regions), Inboxes.National]);

    /// <summary>A stale deal: only to who should act on it, its broker, or while nobody claimed it, its centers' brokers.</summary>
    public Task DealStaleAsync(DealStale stale, IEnumerable<string> regions) =>
        SendAsync(NotificationDraft.Of($"{stale.DealId}:stale@{stale.LastActivityAt.UtcTicks}", stale),
            stale.ClaimedBy is { } broker ? [Inboxes.User(broker)] : Regions(regions));

    public Task ContractRegisteredAsync(ContractRegistered registered, Deals.DealFacts facts) =>
        SendAsync(NotificationDraft.Of($"contract:{registered.ContractNumber}", registered),
            [.. Organizations(facts.AchievementOrganizationId, facts.DemandOrganizationId), .. Regions(facts.Regions), Inboxes.National,
                .. Users(registered.Broker is { } broker ? [broker] : [])]);

    /// <summary>A trade's public feed: its own stream only, which watchers follow.</summary>
    public Task TradeFeedAsync(TradeFeed feed) =>
        SendAsync(NotificationDraft.Of($"{feed.TradeId}#{feed.Sequence}", feed), [Inboxes.Trade(feed.TradeId)]);

    /// <summary>Trade news to the given users, and to the given organizations (e.g. the seller).</summary>
    public Task TradeNoticeAsync(TradeNotice notice, IEnumerable<string> users, params string[] organizations) =>
        SendAsync(NotificationDraft.Of($"{notice.TradeId}:{notice.News}:{notice.At.UtcTicks}", notice), [.. Users(users), .. Organizations(organizations)]);

    /// <summary>A listing's expiry is near: its owner organization only. One event per expiry (a renewal moves it).</summary>
    public Task ListingExpiringAsync(ListingExpiring expiring, string ownerOrganizationId) =>
        SendAsync(NotificationDraft.Of($"{expiring.ListingId}:expiring@{expiring.ExpiresAt.UtcTicks}", expiring), Organizations(ownerOrganizationId));

    /// <summary>An evaluation's news to the given reviewers and organizations; once per evaluation and news in each stream.</summary>
    public Task EvaluationNewsAsync(EvaluationNews news, IEnumerable<string> users, params string[] organizations) =>
        SendAsync(NotificationDraft.Of($"{news.EvaluationId}:{news.News}", news), [.. Users(users), .. Organizations(organizations)]);

    /// <summary>
    /// A saved search found a new listing: to the subscription's owner only. The event id is the pair, so however
    /// often it is sent (a retried publish, the outbox) the owner's stream holds it once.
    /// </summary>
    public Task SubscriptionHitsAsync(IReadOnlyCollection<(string AccountId, Subscriptions.SubscriptionHit Hit)> hits) =>
        Task.WhenAll(hits.Select(h => SendAsync(NotificationDraft.Of($"{h.Hit.SubscriptionId}:{h.Hit.ListingId}", h.Hit), [Inboxes.User(h.AccountId)])));

    /// <summary>An organization's name (a listing's publisher), or null when there is no such organization.</summary>
    public async Task<string?> OrganizationNameAsync(string organizationId) =>
        (await grains.GetGrain<IOrganizationGrain>(organizationId).GetAsync())?.Name;

    /// <summary>
    /// Into each stream once, side by side: a handful of streams whatever the audience's size. The event carries the
    /// list, so a reader of two of them takes it from one.
    /// </summary>
    Task SendAsync(NotificationDraft draft, IEnumerable<string> streams)
    {
        string[] to = [.. streams.Distinct().Order(StringComparer.Ordinal)];
        var stored = draft with { Streams = to };
        return Task.WhenAll(to.Select(stream => grains.GetGrain<IInboxGrain>(stream).AppendAsync(stored)));
    }

    static IEnumerable<string> Organizations(params IEnumerable<string> organizations) => organizations.Select(Inboxes.Organization);

    static IEnumerable<string> Regions(params IEnumerable<string?> regions) => regions.OfType<string>().Select(Inboxes.Region);

    static IEnumerable<string> Users(IEnumerable<string> accounts) => accounts.Select(Inboxes.User);
}
