using System.Text.Json.Serialization;
using TechTransfer.Problems;
using TechTransfer.Security;
using TechTransfer.Vocabulary;

namespace TechTransfer.RegionalCenters;

public static class RegionEndpoints
{
    /// <summary>
    /// A center as the public sees it: how many brokers, never who. Account ids are what a sign-in takes, so listing
    /// them invites guessing; <paramref name="Brokers"/> is filled only for the center's own brokers and admins and
    /// the national level.
    /// </summary>
    public sealed record RegionResponse(string Code, string Name, string ShortName, string[] Provinces, int BrokerCount,
        int PublishedAchievements, int PublishedDemands,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Brokers = null);

    public static void MapRegions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/regions").WithTags("Regions");
        group.MapGet("/", async (RegionDirectory regions, IGrainFactory grains) =>
            TypedResults.Ok((await Task.WhenAll(regions.Regions.Select(r => grains.GetGrain<IRegionalCenterGrain>(r.Code).GetAsync())))
                .Select(c => Public(c))));
        group.MapGet("/{code}", async (string code, HttpContext http, RegionDirectory regions, IGrainFactory grains) =>
        {
            if (regions.Find(code) is null) throw new ProblemException(ProblemCodes.NotFound);
            var center = await grains.GetGrain<IRegionalCenterGrain>(code).GetAsync();
            var staff = http.User.Actor() is { } actor
                && (actor.IsNationalAdmin || (actor.Role is Role.Broker or Role.CenterAdmin && actor.RegionCode == code));
            return TypedResults.Ok(Public(center, staff ? center.Brokers : null));
        });
        group.MapRegionQueue();
    }

    static RegionResponse Public(RegionalCenterView c, string[]? brokers = null) =>
        new(c.Code, c.Name, c.ShortName, c.Provinces, c.Brokers.Length, c.PublishedAchievements, c.PublishedDemands, brokers);
}
