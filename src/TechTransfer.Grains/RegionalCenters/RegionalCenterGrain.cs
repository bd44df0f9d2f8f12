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

    // The region's published counts as tt_listing last said: its trigger counts every row that enters or leaves the
    // market (migration 024), so a repeated notification cannot skew them, and an activation reads two numbers, not
    // the id of every listing in the region. Each listing's row is written before the center is told of it.
    (int Achievements, int Demands) published;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        definition = regions.Find(this.GetPrimaryKeyString()) ?? throw new ProblemException(ProblemCodes.NotFound);
        brokers = [.. state.State.Brokers];
        published = await projection.PublishedCountsAsync(definition.Code, cancellationToken);
    }

    public Task<RegionalCenterView> GetAsync() => Task.FromResult(new RegionalCenterView(
        definition.Code, definition.Name, definition.ShortName, definition.Provinces, brokers,
        published.Achievements, published.Demands));

    public async Task ListingRemovedAsync(ListingKind kind, string listingId) =>
        published = await projection.PublishedCountsAsync(definition.Code);

    public async Task ListingPublishedAsync(ListingKind kind, string listingId, int version, string title, string techField, string province)
    {
        published = await projection.PublishedCountsAsync(definition.Code);
        await notifier.ListingPublishedAsync(new Notifications.ListingPublished(listingId, kind == ListingKind.Achievement ? "achievement" : "demand",
            title, techField, province, definition.Code, published.Achievements, published.Demands), version);
    }

    public async Task AddBrokerAsync(string accountId)
    {
        if (state.State.Brokers.Contains(accountId)) return;
        state.State.Brokers.Add(accountId);
        await state.WriteStateAsync();
        brokers = [.. state.State.Brokers];
    }
}
