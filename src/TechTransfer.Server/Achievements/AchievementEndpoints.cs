using TechTransfer.Listings;
using TechTransfer.Problems;
using TechTransfer.Security;
using TechTransfer.Vocabulary;

namespace TechTransfer.Achievements;

public static class AchievementEndpoints
{
    public sealed record Created(string Id);

    public static void MapAchievements(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/achievements").WithTags("Achievements");
        group.MapPost("/", CreateAsync).RequireAuthorization();
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UpdateAsync).RequireAuthorization();
        group.MapPost("/{id}/publish", (string id, HttpContext http, IGrainFactory grains) =>
            Respond(http, Grain(grains, id).PublishAsync(http.User.RequiredActor()))).RequireAuthorization();
        group.MapPost("/{id}/withdraw", (string id, HttpContext http, IGrainFactory grains) =>
            Respond(http, Grain(grains, id).WithdrawAsync(http.User.RequiredActor()))).RequireAuthorization();
    }

    static async Task<IResult> CreateAsync(AchievementInput input, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.RequiredActor();
        var content = input.Validate();
        var id = ListingIds.NewAchievement();
        var view = await grains.GetGrain<IAchievementGrain>(id).CreateAsync(actor, content);
        http.Response.Headers.ETag = ListingHttp.ETag(view.Version);
        return TypedResults.Created($"/api/achievements/{id}", new Created(id));
    }

    static async Task<IResult> GetAsync(string id, HttpContext http, IGrainFactory grains)
    {
        var view = await Grain(grains, id).GetAsync(http.User.Actor())
            ?? throw new ProblemException(ProblemCodes.NotFound);
        return ListingHttp.WithETag(http, view, view.Version);
    }

    static async Task<IResult> UpdateAsync(string id, AchievementInput input, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.RequiredActor();
        var version = ListingHttp.IfMatchVersion(http.Request);
        var content = input.Validate();
        return await Respond(http, Grain(grains, id).UpdateAsync(actor, content, version));
    }

    static async Task<IResult> ListAsync(
        string? owner, string? status, int? page, int? size, HttpContext http, ListingProjection listings, CancellationToken cancellation)
    {
        var (p, s) = ListingHttp.Paging(page, size);
        return TypedResults.Ok(await listings.QueryAsync(ListingKind.Achievement, owner, ListingHttp.Status<AchievementStatus>(status),
            http.User.Actor(), p, s, cancellation));
    }

    static async Task<IResult> Respond(HttpContext http, Task<AchievementView> change)
    {
        var view = await change;
        return ListingHttp.WithETag(http, view, view.Version);
    }

    // Malformed ids never reach a grain: no activation for garbage keys.
    static IAchievementGrain Grain(IGrainFactory grains, string id) =>
        ListingIds.IsAchievement(id) ? grains.GetGrain<IAchievementGrain>(id) : throw new ProblemException(ProblemCodes.NotFound);
}
