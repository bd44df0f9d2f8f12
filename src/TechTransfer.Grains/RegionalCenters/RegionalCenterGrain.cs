using TechTransfer.Listings;
using TechTransfer.Problems;

namespace TechTransfer.RegionalCenters;

public sealed class RegionalCenterGrain(
    [PersistentState("regional-center")] IPersistentState<RegionalCenterState> state,
    RegionDirectory regions,
    ListingProjection projection) : Grain, IRegionalCenterGrain
{
    RegionDefinition definition = null!;

    // Sets of ids, not counters, so a repeated notification cannot skew the count.
    readonly HashSet<string> publishedAchievements = [];
    readonly HashSet<string> publishedDemands = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        definition = regions.Find(this.GetPrimaryKeyString()) ?? throw new ProblemException(ProblemCodes.NotFound);
        await foreach (var (kind, id) in projection.PublishedInRegionAsync(definition.Code, cancellationToken))
            (kind == ListingKind.Achievement ? publishedAchievements : publishedDemands).Add(id);
    }

    public Task<RegionalCenterView> GetAsync() => Task.FromResult(new RegionalCenterView(
        definition.Code, definition.Name, definition.ShortName, definition.Provinces, [.. state.State.Brokers],
        publishedAchievements.Count, publishedDemands.Count));

    public Task ListingChangedAsync(ListingKind kind, string listingId, bool published)
    {
        var set = kind == ListingKind.Achievement ? publishedAchievements : publishedDemands;
        if (published) set.Add(listingId);
        else set.Remove(listingId);
        return Task.CompletedTask;
    }

    public async Task AddBrokerAsync(string accountId)
    {
        if (state.State.Brokers.Contains(accountId)) return;
        state.State.Brokers.Add(accountId);
        await state.WriteStateAsync();
    }
}
