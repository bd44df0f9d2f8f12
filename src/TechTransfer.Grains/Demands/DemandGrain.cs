using TechTransfer.Accounts;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Vocabulary;

namespace TechTransfer.Demands;

public sealed class DemandGrain(
    [PersistentState("demand")] IPersistentState<DemandState> state,
    ListingProjection projection,
    RegionDirectory regions,
    ListingMatcher matcher,
    Subscriptions.SubscriptionMatcher subscriptions,
    TimeProvider clock)
    : ListingGrain<DemandState, DemandContent, DemandStatus, DemandView>(state, projection, regions, matcher, subscriptions, clock), IDemandGrain
{
    protected override ListingKind Kind => ListingKind.Demand;
    protected override DemandStatus Published => DemandStatus.Published;
    protected override DemandStatus Expired => DemandStatus.Expired;
    protected override DemandStatus Archived => DemandStatus.Archived;

    // A demand ends at the end of its deadline day (China time) when that comes before its validity runs out.
    protected override DateTimeOffset? EndsBy =>
        new DateTimeOffset(S.Content!.Deadline.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
    protected override DemandStatus Final => DemandStatus.Fulfilled;
    protected override bool MayPost(Actor actor) => actor.MayPostDemands;

    public Task<DemandView> CloseAsync(Actor actor) => TakeOffMarketAsync(actor, DemandStatus.Closed);

    // A need whose deadline has passed is not put on the market.
    protected override void EnsurePublishable()
    {
        if (S.Content!.Deadline <= ChinaTime.Today(Clock)) throw ProblemException.Invalid([new FieldError("deadline", "in-past")]);
    }

    protected override DemandView ToView(Actor? viewer)
    {
        var c = S.Content!;
        return new DemandView(Id, S.OwnerOrganizationId, S.Status.ToString(), c.Title, c.Description, c.Keywords,
            c.TechField.ToString(), c.MinTrl, c.BudgetMin, c.BudgetMax, c.Province, RegionCode, c.Deadline, ContactFor(viewer),
            S.CreatedAt, S.UpdatedAt, S.PublishedAt, S.Version, ExpiresAt, S.Renewed);
    }

    protected override ListingRow ToRow()
    {
        var c = S.Content!;
        return new ListingRow(Id, Kind, S.OwnerOrganizationId, S.Status.ToString(), c.Title, c.Province, RegionCode,
            c.TechField.ToString(), c.MinTrl, c.BudgetMax, S.UpdatedAt, S.Version, ExternalId: null, ToView(viewer: null));
    }
}
