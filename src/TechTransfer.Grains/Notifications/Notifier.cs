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
    /// first nine. Each inbox still numbers what it receives one after another.
    /// </summary>
    public Task MatchFoundAsync(IEnumerable<MatchCandidate> matches) =>
        Task.WhenAll(matches.Select(m => SendAsync(
            NotificationDraft.Of(m.MatchId, new MatchFound(m.MatchId, m.AchievementId, m.DemandId, m.Score, m.AchievementTitle, m.DemandTitle, m.Explanation)),
            organizations: [m.AchievementOrganizationId, m.DemandOrganizationId],
            regions: [.. new[] { m.AchievementRegion, m.DemandRegion }.OfType<string>()], national: false)));

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
            organizations: [facts.AchievementOrganizationId, facts.DemandOrganizationId], regions: [.. facts.Regions], national: true);

    /// <summary>A trade's public feed: its own inbox only, which watchers subscribe to.</summary>
    public Task TradeFeedAsync(TradeFeed feed) =>
        grains.GetGrain<IInboxGrain>(Inboxes.Trade(feed.TradeId)).AppendAsync(NotificationDraft.Of($"{feed.TradeId}#{feed.Sequence}", feed));

    /// <summary>Trade news to the given users, and to every member of the given organizations (e.g. the seller).</summary>
    public Task TradeNoticeAsync(TradeNotice notice, IEnumerable<string> users, params string[] organizations) =>
        SendAsync(NotificationDraft.Of($"{notice.TradeId}:{notice.News}:{notice.At.UtcTicks}", notice), organizations, regions: [], national: false,
            users: users);

    async Task SendAsync(NotificationDraft draft, string[] organizations, string[] regions, bool national,
        IEnumerable<string>? inboxes = null, IEnumerable<string>? users = null)
    {
        var toInboxes = new HashSet<string>(inboxes ?? []);
        var toUsers = new HashSet<string>(users ?? []);
        foreach (var organization in organizations.Distinct())
        {
            toInboxes.Add(Inboxes.Organization(organization));
            toUsers.UnionWith(await MembersAsync(organization));
        }
        foreach (var region in regions.Distinct())
        {
            toInboxes.Add(Inboxes.Region(region));
            toUsers.UnionWith((await grains.GetGrain<IRegionalCenterGrain>(region).GetAsync()).Brokers);
        }
        if (national) toUsers.UnionWith(await MembersAsync(NationalOrganization));
        toInboxes.UnionWith(toUsers.Select(Inboxes.User));
        // Appends share the NotificationLog's connections, but an inbox's first append activates it, which reads
        // PostgreSQL: a bounded number at a time, so a center with hundreds of brokers cannot take every pooled
        // connection at once.
        foreach (var chunk in toInboxes.Chunk(MaxParallelAppends))
            await Task.WhenAll(chunk.Select(inbox => grains.GetGrain<IInboxGrain>(inbox).AppendAsync(draft)));
    }

    async Task<string[]> MembersAsync(string organization) =>
        (await grains.GetGrain<IOrganizationGrain>(organization).GetAsync())?.Members ?? [];
}
