using TechTransfer.Listings;
using TechTransfer.Vocabulary;

namespace TechTransfer.Demands;

public static class DemandEndpoints
{
    static readonly ListingRoutes<DemandInput, DemandContent> Routes = new(
        "/api/demands", ListingKind.Demand, ListingIds.IsDemand, ListingIds.NewDemand,
        (input, clock) => input.Validate(ChinaTime.Today(clock)), ListingHttp.Status<DemandStatus>);

    public static void MapDemands(this IEndpointRouteBuilder app) =>
        app.MapListings<IDemandGrain, DemandInput, DemandContent, DemandView>(Routes, "Demands")
            .MapListingAction<IDemandGrain, DemandView>("/{id}/close", Routes.IsId, (grain, actor) => grain.CloseAsync(actor));
}
