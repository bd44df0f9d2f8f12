using TechTransfer.Listings;
using TechTransfer.Problems;
using TechTransfer.Security;
using TechTransfer.Vocabulary;

namespace TechTransfer.Demands;

public static class DemandEndpoints
{
    public sealed record Created(string Id);

    public static void MapDemands(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/demands").WithTags("Demands");
        group.MapPost("/", CreateAsync).RequireAuthorization();
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).RequireAuthorization();
        group.MapPost("/{id}/publish", (string id, HttpContext http, IGrainFactory grains) =>
            Respond(http, Grain(grains, id).PublishAsync(http.User.RequiredActor()))).RequireAuthorization();
        group.MapPost("/{id}/close", (string id, HttpContext http, IGrainFactory grains) =>
            Respond(http, Grain(grains, id).CloseAsync(http.User.RequiredActor()))).RequireAuthorization();
    }

    static async Task<IResult> CreateAsync(DemandInput input, HttpContext http, IGrainFactory grains, TimeProvider clock)
    {
        var actor = http.User.RequiredActor();
        var content = input.Validate(ChinaTime.Today(clock));
        var id = ListingIds.NewDemand();
        var view = await grains.GetGrain<IDemandGrain>(id).CreateAsync(actor, content);
        http.Response.Headers.ETag = ListingHttp.ETag(view.Version);
        return TypedResults.Created($"/api/demands/{id}", new Created(id));
    }

    static async Task<IResult> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var view = await Grain(grains, id).GetAsync(http.User.Actor())
            ?? throw new ProblemException(ProblemCodes.NotFound);
        return ListingHttp.WithETag(http, view, view.Version);
    }

    static async Task<IResult> UpdateAsync(string id, DemandInput input, HttpContext http, IGrainFactory grains, TimeProvider clock)
    {
        var actor = http.User.RequiredActor();
        var version = ListingHttp.IfMatchVersion(http.Request);
        var content = input.Validate(ChinaTime.Today(clock));
        return await Respond(http, Grain(grains, id).UpdateAsync(actor, content, version));
    }

    static async Task<IResult> ListAsync(
        string? owner, string? status, int? page, int? size, HttpContext http, ListingProjection listings, CancellationToken cancellation)
    {
        var (p, s) = ListingHttp.Paging(page, size);
        return TypedResults.Ok(await listings.QueryAsync(ListingKind.Demand, owner, ListingHttp.Status<DemandStatus>(status),
            http.User.Actor(), p, s, cancellation));
    }

    static async Task<IResult> Respond(HttpContext http, Task<DemandView> change)
    {
        var view = await change;
        return ListingHttp.WithETag(http, view, view.Version);
    }

    // Malformed ids never reach a grain: no activation for garbage keys.
    static IDemandGrain Grain(IGrainFactory grains, string id) =>
        ListingIds.IsDemand(id) ? grains.GetGrain<IDemandGrain>(id) : throw new ProblemException(ProblemCodes.NotFound);
}
