using TechTransfer.Accounts;
using TechTransfer.Idempotency;
using TechTransfer.Listings;
using TechTransfer.Names;
using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Evaluations;

/// <summary>
/// 科技成果评价 by invited reviewers (docs/institutions.md): a center starts one on a published achievement, reviewers
/// sign their reviews, the center publishes the summary. The grain decides who may; these routes check ids and shapes.
/// </summary>
public static class EvaluationEndpoints
{
    public static void MapEvaluations(this IEndpointRouteBuilder app)
    {
        var evaluations = app.MapGroup("/api/evaluations").WithTags("Evaluations");

        // 201 with the evaluation; its page (GET) adds the names.
        app.MapPost("/api/achievements/{id}/evaluations", async (string id, EvaluationStartInput body, HttpContext http, IGrainFactory grains) =>
        {
            if (!ListingIds.IsAchievement(id)) throw new ProblemException(ProblemCodes.NotFound);
            var evaluation = EvaluationIds.New(http.Features.Get<IdempotentRequest>()?.Seed);
            var view = await grains.GetGrain<IEvaluationGrain>(evaluation).StartAsync(http.User.RequiredActor(), id, body.Reviewers ?? []);
            return TypedResults.Created($"/api/evaluations/{evaluation}", view);
        }).WithTags("Evaluations").RequireAuthorization();

        // An achievement's evaluations as the caller may see them: published ones for everyone, the rest for those involved.
        app.MapGet("/api/achievements/{id}/evaluations", async (string id, HttpContext http, IGrainFactory grains, EvaluationProjection projection,
            DisplayNames names, CancellationToken cancellation) =>
        {
            if (!ListingIds.IsAchievement(id)) throw new ProblemException(ProblemCodes.NotFound);
            var actor = http.User.Actor();
            var views = new List<EvaluationView>();
            foreach (var evaluation in await projection.OfAchievementAsync(id, cancellation))
                if (await grains.GetGrain<IEvaluationGrain>(evaluation).GetAsync(actor) is { } view) views.Add(view);
            return TypedResults.Ok(await names.WithNamesAsync(new EvaluationList(views), [.. views.SelectMany(Ids)]));
        }).WithTags("Evaluations").ProducesWithNames<EvaluationList>();

        // My invitations to review: the open ones I have not reviewed first.
        evaluations.MapGet("/invitations", async (HttpContext http, EvaluationProjection projection, DisplayNames names, CancellationToken cancellation) =>
        {
            var rows = await projection.InvitationsAsync(http.User.RequiredActor().AccountId, cancellation);
            return TypedResults.Ok(await names.WithNamesAsync(new Invitations(rows), rows.Select(r => r.Region)));
        }).RequireAuthorization().ProducesWithNames<Invitations>();

        evaluations.MapGet("/{id}", async (string id, HttpContext http, IGrainFactory grains, DisplayNames names) =>
            TypedResults.Ok(await WithNamesAsync(names, await Evaluation(grains, id).GetAsync(http.User.Actor())
                ?? throw new ProblemException(ProblemCodes.NotFound)))).ProducesWithNames<EvaluationView>();

        evaluations.MapPost("/{id}/reviewers", async (string id, ReviewerInput body, HttpContext http, IGrainFactory grains, DisplayNames names) =>
            TypedResults.Ok(await WithNamesAsync(names, await Evaluation(grains, id).InviteAsync(http.User.RequiredActor(), body.Account ?? ""))))
            .RequireAuthorization().ProducesWithNames<EvaluationView>();

        evaluations.MapPost("/{id}/reviews", async (string id, ReviewInput body, HttpContext http, IGrainFactory grains, DisplayNames names) =>
        {
            var review = body.Validate();
            return TypedResults.Ok(await WithNamesAsync(names, await Evaluation(grains, id).ReviewAsync(http.User.RequiredActor(), review)));
        }).RequireAuthorization().ProducesWithNames<EvaluationView>();

        evaluations.MapPost("/{id}/publish", async (string id, PublishInput body, HttpContext http, IGrainFactory grains, DisplayNames names) =>
        {
            var statement = body.Validate();
            return TypedResults.Ok(await WithNamesAsync(names, await Evaluation(grains, id).PublishAsync(http.User.RequiredActor(), statement)));
        }).RequireAuthorization().ProducesWithNames<EvaluationView>();
    }

    static IEvaluationGrain Evaluation(IGrainFactory grains, string id) =>
        EvaluationIds.IsWellFormed(id) ? grains.GetGrain<IEvaluationGrain>(id) : throw new ProblemException(ProblemCodes.NotFound);

    static IEnumerable<string> Ids(EvaluationView v) =>
        [v.OwnerOrganizationId, v.Region, v.StartedBy, .. v.Reviewers, .. v.Summary is { } s ? [s.PublishedBy] : Array.Empty<string>()];

    static Task<System.Text.Json.Nodes.JsonObject> WithNamesAsync(DisplayNames names, EvaluationView view) => names.WithNamesAsync(view, [.. Ids(view)]);
}

/// <summary>A reviewer's invitations.</summary>
public sealed record Invitations(IReadOnlyList<EvaluationRow> Items);

/// <summary>An achievement's evaluations the caller may see, newest first.</summary>
public sealed record EvaluationList(IReadOnlyList<EvaluationView> Items);
