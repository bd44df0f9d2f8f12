using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Organizations;

public static class OrganizationEndpoints
{
    public static void MapOrganizations(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/organizations").WithTags("Organizations").MapGet("/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            if (!id.StartsWith("org-", StringComparison.Ordinal) || id.Length > 64) throw new ProblemException(ProblemCodes.NotFound);
            var view = await grains.GetGrain<IOrganizationGrain>(id).GetAsync() ?? throw new ProblemException(ProblemCodes.NotFound);
            // The public profile for everyone; who belongs to it only for its own members and the national level.
            var actor = http.User.Actor();
            var insider = actor is not null && (actor.OrganizationId == id || actor.IsNationalAdmin);
            return TypedResults.Ok(insider ? view : view with { Members = [] });
        });
    }
}
