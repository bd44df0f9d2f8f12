using TechTransfer.Listings;
using TechTransfer.Problems;

namespace TechTransfer.RegionalCenters;

public sealed class RegionalCenterGrain(
    [PersistentState("regional-center")] IPersistentState<RegionalCenterState> state,
    RegionDirectory regions,
    ListingProjection projection,
    Notifications.Notifier notifier) : Grain, IRegionalCenterGrain
{
    RegionDefinition definition = null!;

    // What GetAsync answers (it interleaves with the other calls): the brokers as last written, never an appointment
    // whose write is still under way (a broker is entitled to the center's events once it is stored).
    string[] brokers = [];

    // Sets of ids, not counters, so a repeated notification cannot skew the count.
    readonly HashSet<string> publishedAchievements = [];
    readonly HashSet<string> publishedDemands = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        definition = regions.Find(this.GetPrimaryKeyString()) ?? throw new ProblemException(ProblemCodes.NotFound);
        brokers = [.. state.State.Brokers];
        await foreach (var (kind, id) in projection.PublishedInRegionAsync(definition.Code, cancellationToken))
            (kind == ListingKind.Achievement ? publishedAchievements : publishedDemands).Add(id);
    }

    public Task<RegionalCenterView> GetAsync() => Task.FromResult(new RegionalCenterView(
        definition.Code, definition.Name, definition.ShortName, definition.Provinces, brokers,
        publishedAchievements.Count, publishedDemands.Count));

    public Task ListingRemovedAsync(ListingKind kind, string listingId)
    {
        (kind == ListingKind.Achievement ? publishedAchievements : publishedDemands).Remove(listingId);
        return Task.CompletedTask;
    }

    public async Task ListingPublishedAsync(ListingKind kind, string listingId, int version, string title, string techField, string province)
    {
        (kind == ListingKind.Achievement ? publishedAchievements : publishedDemands).Add(listingId);
        await notifier.ListingPublishedAsync(new Notifications.ListingPublished(listingId, kind == ListingKind.Achievement ? "achievement" : "demand",
            title, techField, province, definition.Code, publishedAchievements.Count, publishedDemands.Count), version, brokers);
    }

    public async Task AddBrokerAsync(string accountId)
    {
        if (state.State.Brokers.Contains(accountId)) return;
        state.State.Brokers.Add(accountId);
        await state.WriteStateAsync();
        brokers = [.. state.State.Brokers];
    }
}
