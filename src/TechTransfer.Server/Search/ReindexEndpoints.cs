using TechTransfer.Matching;
using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Search;

/// <summary>
/// Rebuilding this host's search replica from PostgreSQL without a restart (techtransfer reindex). National
/// administrators only. The running index keeps answering until the fresh one is caught up and swapped in.
/// </summary>
public static class ReindexEndpoints
{
    public static void MapReindex(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/reindex").WithTags("Search").RequireAuthorization();
        group.MapPost("", (HttpContext http, IndexReplica replica, TimeProvider time) =>
        {
            RequireNationalAdmin(http);
            replica.StartRebuild(time); // a second request while one runs joins it
            return TypedResults.Accepted("/api/admin/reindex", replica.Rebuild);
        });
        group.MapGet("", (HttpContext http, IndexReplica replica) =>
        {
            RequireNationalAdmin(http);
            return TypedResults.Ok(replica.Rebuild);
        });
    }

    static void RequireNationalAdmin(HttpContext http)
    {
        if (!http.User.RequiredActor().IsNationalAdmin) throw new ProblemException(ProblemCodes.Forbidden);
    }
}
