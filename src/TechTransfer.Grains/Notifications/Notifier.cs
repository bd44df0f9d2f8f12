using TechTransfer.Matching;
using TechTransfer.Organizations;
using TechTransfer.RegionalCenters;

namespace TechTransfer.Notifications;

/// <summary>
/// Who hears of what. Decided here, on the server: an event enters the inboxes of the organizations and centers
/// it concerns and of every user entitled to it (members of those organizations, brokers of those centers,
/// national administrators). A user who belongs to several audiences gets the event once.
/// </summary>
public sealed class Notifier(IGrainFactory grains)
{
    /// <summary>The organization whose members are the national level (火炬中心).</summary>
    public const string NationalOrganization = "org-torch";

    const int MaxParallelAppends = 16;

    /// <summary>
    /// The matches of one publish are independent events: sent side by side, so the tenth does not wait for the
    /// first nine. Each inbox still numbers what it receives one after another. They share one side, so each
    /// organization and center is asked for its people once for all of them.
    /// </summary>
    public async Task MatchFoundAsync(IReadOnlyCollection<MatchCandidate> matches)
    {
        static string[] Organizations(MatchCandidate m) => [m.AchievementOrganizationId, m.DemandOrganizationId];
        static string[] Regions(MatchCandidate m) => [.. new[] { m.AchievementRegion, m.DemandRegion }.OfType<string>()];
        var people = await LookUpAsync(matches.SelectMany(Organizations), matches.SelectMany(Regions), national: false);
        await Task.WhenAll(matches.Select(m => AppendAsync(
            NotificationDraft.Of(m.MatchId, new MatchFound(m.MatchId, m.AchievementId, m.DemandId, m.Score, m.AchievementTitle, m.DemandTitle, m.Explanation,
                people.Names.GetValueOrDefault(m.AchievementOrganizationId), people.Names.GetValueOrDefault(m.DemandOrganizationId),
                m.AchievementOrganizationId, m.DemandOrganizationId)),
            people.Inboxes(Organizations(m), Regions(m), national: false))));
    }

    /// <summary>Raised by the regional center itself, which passes its brokers (it cannot be called back mid-turn).</summary>
    public Task ListingPublishedAsync(ListingPublished published, int version, IEnumerable<string> brokers) =>
        SendAsync(NotificationDraft.Of($"{published.ListingId}@{version}", published), organizations: [], regions: [], national: true,
            inboxes: [Inboxes.Region(published.RegionCode)], users: brokers);

    /// <summary>A deal moved: its parties, both centers (inbox and brokers) and national.</summary>
    public Task DealUpdatedAsync(DealUpdated update, Deals.DealFacts facts) =>
        SendAsync(NotificationDraft.Of($"{update.DealId}@{update.Version}", update),
            organizations: [facts.AchievementOrganizationId, facts.DemandOrganizationId], regions: [.. facts.Regions], national: true);

    /// <summary>A stale deal: only to the brokers who should act on it.</summary>
    public Task DealStaleAsync(DealStale stale, IEnumerable<string> brokers) =>
        SendAsync(NotificationDraft.Of($"{stale.DealId}:stale@{stale.LastActivityAt.UtcTicks}", stale), organizations: [], regions: [],
            national: false, users: brokers);

    public Task ContractRegisteredAsync(ContractRegistered registered, Deals.DealFacts facts) =>
        SendAsync(NotificationDraft.Of($"contract:{registered.ContractNumber}", registered),
            organizations: [facts.AchievementOrganizationId, facts.DemandOrganizationId], regions: [.. facts.Regions], national: true,
            users: registered.Broker is { } broker ? [broker] : null);

    /// <summary>A trade's public feed: its own inbox only, which watchers subscribe to.</summary>
    public Task TradeFeedAsync(TradeFeed feed) =>
        grains.GetGrain<IInboxGrain>(Inboxes.Trade(feed.TradeId)).AppendAsync(NotificationDraft.Of($"{feed.TradeId}#{feed.Sequence}", feed));

    /// <summary>Trade news to the given users, and to every member of the given organizations (e.g. the seller).</summary>
    public Task TradeNoticeAsync(TradeNotice notice, IEnumerable<string> users, params string[] organizations) =>
        SendAsync(NotificationDraft.Of($"{notice.TradeId}:{notice.News}:{notice.At.UtcTicks}", notice), organizations, regions: [], national: false,
            users: users);

    /// <summary>A listing's expiry is near: its owner organization only. One event per expiry (a renewal moves it).</summary>
    public Task ListingExpiringAsync(ListingExpiring expiring, string ownerOrganizationId) =>
        SendAsync(NotificationDraft.Of($"{expiring.ListingId}:expiring@{expiring.ExpiresAt.UtcTicks}", expiring), [ownerOrganizationId], regions: [],
            national: false);

    /// <summary>An evaluation's news to the given reviewers and organizations; once per evaluation and news in each inbox.</summary>
    public Task EvaluationNewsAsync(EvaluationNews news, IEnumerable<string> users, params string[] organizations) =>
        SendAsync(NotificationDraft.Of($"{news.EvaluationId}:{news.News}", news), organizations, regions: [], national: false, users: users);

    /// <summary>
    /// A saved search found a new listing: to the subscription's owner only. The event id is the pair, so however
    /// often it is sent (a retried publish, the outbox) the owner's inbox holds it once.
    /// </summary>
    public Task SubscriptionHitsAsync(IReadOnlyCollection<(string AccountId, Subscriptions.SubscriptionHit Hit)> hits) =>
        Task.WhenAll(hits.Select(h => AppendAsync(NotificationDraft.Of($"{h.Hit.SubscriptionId}:{h.Hit.ListingId}", h.Hit), [Notifications.Inboxes.User(h.AccountId)])));

    /// <summary>An organization's name (a listing's publisher), or null when there is no such organization.</summary>
    public async Task<string?> OrganizationNameAsync(string organizationId) =>
        (await grains.GetGrain<IOrganizationGrain>(organizationId).GetAsync())?.Name;

    async Task SendAsync(NotificationDraft draft, string[] organizations, string[] regions, bool national,
        IEnumerable<string>? inboxes = null, IEnumerable<string>? users = null)
    {
        var people = await LookUpAsync(organizations, regions, national);
        await AppendAsync(draft, people.Inboxes(organizations, regions, national, inboxes, users));
    }

    // Appends share the NotificationLog's connections, but an inbox's first append activates it, which reads
    // PostgreSQL: a bounded number at a time, so a center with hundreds of brokers cannot take every pooled
    // connection at once.
    async Task AppendAsync(NotificationDraft draft, IEnumerable<string> inboxes)
    {
        foreach (var chunk in inboxes.Chunk(MaxParallelAppends))
            await Task.WhenAll(chunk.Select(inbox => grains.GetGrain<IInboxGrain>(inbox).AppendAsync(draft)));
    }

    /// <summary>All at once: the organizations' members and the centers' brokers (and national, if asked), each looked up once.</summary>
    async Task<People> LookUpAsync(IEnumerable<string> organizations, IEnumerable<string> regions, bool national)
    {
        var asked = organizations.Append(national ? NationalOrganization : null).OfType<string>().Distinct().ToArray();
        var centers = regions.Distinct().ToArray();
        var organizationViews = Task.WhenAll(asked.Select(o => grains.GetGrain<IOrganizationGrain>(o).GetAsync()));
        var centerViews = Task.WhenAll(centers.Select(r => grains.GetGrain<IRegionalCenterGrain>(r).GetAsync()));
        await Task.WhenAll(organizationViews, centerViews);
        return new People(
            asked.Zip(organizationViews.Result).ToDictionary(p => p.First, p => p.Second?.Members ?? []),
            centers.Zip(centerViews.Result).ToDictionary(p => p.First, p => p.Second.Brokers),
            asked.Zip(organizationViews.Result).Where(p => p.Second is not null).ToDictionary(p => p.First, p => p.Second!.Name));
    }

    /// <summary>Who is behind each organization (members, its name) and each center (brokers) of a send.</summary>
    sealed record People(Dictionary<string, string[]> Members, Dictionary<string, string[]> Brokers, Dictionary<string, string> Names)
    {
        /// <summary>
        /// The organizations' and centers' own inboxes, and one inbox per entitled user: a user in several of the
        /// audiences is there once.
        /// </summary>
        public HashSet<string> Inboxes(string[] organizations, string[] regions, bool national,
            IEnumerable<string>? inboxes = null, IEnumerable<string>? users = null)
        {
            var toInboxes = new HashSet<string>(inboxes ?? []);
            var toUsers = new HashSet<string>(users ?? []);
            foreach (var organization in organizations)
            {
                toInboxes.Add(Notifications.Inboxes.Organization(organization));
                toUsers.UnionWith(Members[organization]);
            }
            foreach (var region in regions)
            {
                toInboxes.Add(Notifications.Inboxes.Region(region));
                toUsers.UnionWith(Brokers[region]);
            }
            if (national) toUsers.UnionWith(Members[NationalOrganization]);
            toInboxes.UnionWith(toUsers.Select(Notifications.Inboxes.User));
            return toInboxes;
        }
    }
}
