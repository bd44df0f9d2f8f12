using TechTransfer.Problems;

namespace TechTransfer.RegionalCenters;

public static class RegionEndpoints
{
    public static void MapRegions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/regions").WithTags("Regions");
        group.MapGet("/", async (RegionDirectory regions, IGrainFactory grains) =>
            TypedResults.Ok(await Task.WhenAll(regions.Regions.Select(r => grains.GetGrain<IRegionalCenterGrain>(r.Code).GetAsync()))));
        group.MapGet("/{code}", async (string code, RegionDirectory regions, IGrainFactory grains) =>
            regions.Find(code) is null
                ? throw new ProblemException(ProblemCodes.NotFound)
                : TypedResults.Ok(await grains.GetGrain<IRegionalCenterGrain>(code).GetAsync()));
    }
}
