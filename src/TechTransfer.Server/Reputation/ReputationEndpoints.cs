using TechTransfer.Accounts;
using TechTransfer.Names;
using TechTransfer.Organizations;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Security;
using TechTransfer.Vocabulary;

namespace TechTransfer.Reputation;

/// <summary>
/// 信誉体系 (docs/institutions.md): an organization's credit is public wherever its page is; a broker's is for the
/// broker, the centers' staff and the national level.
/// </summary>
public static class ReputationEndpoints
{
    /// <summary>Organizations per grade request: a page of live cards names a few dozen at most.</summary>
    const int MaxGrades = 50;

    public static void MapReputation(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/organizations/{id}/credit", async (string id, HttpContext http, IGrainFactory grains, RegionDirectory regions,
            CreditRecords records, CancellationToken cancellation) =>
        {
            await OrganizationEndpoints.VisibleAsync(grains, regions, id, http.User.Actor());
            return TypedResults.Ok(await records.OrganizationAsync(id, cancellation));
        }).WithTags("Reputation").Produces<CreditReport>();

        // The grades beside names on cards pushed live (a MatchFound carries the organizations, not their grades: grading
        // on the push path would cost every publish a credit query per organization). Cached per host like every grade.
        app.MapGet("/api/organizations/grades", async (string? ids, CreditRecords records, CancellationToken cancellation) =>
        {
            var wanted = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
            var v = new Validation();
            if (wanted.Length == 0) v.Fail("ids", "required");
            if (wanted.Length > MaxGrades) v.Fail("ids", "max-items", MaxGrades.ToString());
            if (wanted.Any(id => id.Length > 100 || !id.StartsWith("org-", StringComparison.Ordinal))) v.Fail("ids", "invalid-format");
            v.ThrowIfInvalid();
            return TypedResults.Ok(new GradesBeside(await records.GradesAsync(wanted, cancellation)));
        }).WithTags("Reputation").RequireAuthorization();

        app.MapGet("/api/brokers/{accountId}/credit", async (string accountId, HttpContext http, IGrainFactory grains, CreditRecords records,
            Names.DisplayNames names, CancellationToken cancellation) =>
        {
            var actor = http.User.RequiredActor();
            if (!(actor.AccountId == accountId || actor.IsNationalAdmin || actor.Role is Role.Broker or Role.CenterAdmin))
                throw new ProblemException(ProblemCodes.Forbidden);
            var broker = await grains.GetGrain<IAccountGrain>(accountId).GetSummaryAsync();
            if (broker is not { Role: Role.Broker or Role.CenterAdmin }) throw new ProblemException(ProblemCodes.NotFound);
            return TypedResults.Ok(await names.WithNamesAsync(await records.BrokerAsync(accountId, cancellation), [accountId]));
        }).WithTags("Reputation").RequireAuthorization().ProducesWithNames<CreditReport>();

        app.MapPost("/api/deals/{id}/rating", async (string id, RatingInput body, HttpContext http, IGrainFactory grains) =>
        {
            var v = new Validation();
            var stars = v.Range("stars", body.Stars, 1, 5);
            var comment = v.Text("comment", body.Comment, 500, required: false, multiline: true);
            v.ThrowIfInvalid();
            return TypedResults.Ok(await Deals.DealEndpoints.Deal(grains, id).RateAsync(http.User.RequiredActor(), stars!.Value, comment));
        }).WithTags("Deals").RequireAuthorization().Produces<Deals.DealView>();

        // Contesting an entry: the party or the broker files it on the deal, the deal's center decides, both on the trail.
        app.MapPost("/api/deals/{id}/contests", async (string id, ContestInput body, HttpContext http, IGrainFactory grains) =>
        {
            var v = new Validation();
            var reason = v.Text("reason", body.Reason, 500, multiline: true);
            v.ThrowIfInvalid();
            return TypedResults.Ok(await Deals.DealEndpoints.Deal(grains, id).ContestAsync(http.User.RequiredActor(), reason!));
        }).WithTags("Deals").RequireAuthorization().Produces<Deals.DealView>();

        app.MapPost("/api/deals/{id}/contests/{subject}/decision", async (string id, string subject, ContestDecision body, HttpContext http,
            IGrainFactory grains) =>
        {
            var v = new Validation();
            if (subject is not ("achievement" or "demand" or "broker")) throw new ProblemException(ProblemCodes.NotFound);
            if (body.Upheld is null) v.Fail("upheld", "required");
            var note = v.Text("note", body.Note, 500, multiline: true);
            v.ThrowIfInvalid();
            return TypedResults.Ok(await Deals.DealEndpoints.Deal(grains, id).DecideContestAsync(http.User.RequiredActor(), subject, body.Upheld!.Value, note!));
        }).WithTags("Deals").RequireAuthorization().Produces<Deals.DealView>();

        app.MapGet("/api/credit-contests", async (HttpContext http, CreditRecords records, Names.DisplayNames names, CancellationToken cancellation) =>
        {
            var actor = http.User.RequiredActor();
            if (!(actor.IsNationalAdmin || actor.Role == Role.CenterAdmin && actor.RegionCode is not null)) throw new ProblemException(ProblemCodes.Forbidden);
            var open = await records.OpenContestsAsync(actor.IsNationalAdmin ? null : actor.RegionCode, 200, cancellation);
            return TypedResults.Ok(await names.WithNamesAsync(new OpenContestList(open),
                open.SelectMany(c => new[] { c.FiledBy, c.AchievementOrganizationId, c.DemandOrganizationId, c.ClaimedBy })));
        }).WithTags("Reputation").RequireAuthorization().ProducesWithNames<OpenContestList>();

        // The dashboards: national sees every center, a center's staff their own.
        app.MapGet("/api/credit-by-center", async (HttpContext http, IGrainFactory grains, RegionDirectory regions, CreditRecords records,
            Names.DisplayNames names, CancellationToken cancellation) =>
        {
            var actor = http.User.RequiredActor();
            var codes = actor.IsNationalAdmin ? regions.Regions.Select(r => r.Code)
                : actor.Role is Role.Broker or Role.CenterAdmin && actor.RegionCode is { } own ? [own]
                : throw new ProblemException(ProblemCodes.Forbidden);
            var centers = new List<CenterCredit>();
            foreach (var code in codes)
            {
                var center = await grains.GetGrain<IRegionalCenterGrain>(code).GetAsync();
                centers.Add(await records.CenterAsync(code, center.Name, center.Brokers, cancellation));
            }
            return TypedResults.Ok(await names.WithNamesAsync(new CenterCreditList(centers), centers.SelectMany(c => c.Brokers.Select(b => b.AccountId))));
        }).WithTags("Reputation").RequireAuthorization().ProducesWithNames<CenterCreditList>();
    }

    /// <summary>Why a party or the broker contests how a deal counts in their 信誉.</summary>
    public sealed record ContestInput(string? Reason);

    /// <summary>The center's decision on a contest: upheld (the deal no longer counts) or not, and why.</summary>
    public sealed record ContestDecision(bool? Upheld, string? Note);

    /// <summary>The centers' 信誉 summaries a dashboard shows.</summary>
    public sealed record CenterCreditList(IReadOnlyList<CenterCredit> Centers);

    /// <summary>A page of contests waiting for the caller's center.</summary>
    public sealed record OpenContestList(IReadOnlyList<CreditRecords.OpenContest> Items);

    /// <summary>A party's rating of the leading broker: 1–5 stars, an optional comment.</summary>
    public sealed record RatingInput(int? Stars, string? Comment);
}

/// <summary>What a list item carries beside its view: the 信誉 grade of each organization it names (organization id → grade).</summary>
public sealed record GradesBeside(IReadOnlyDictionary<string, string> Grades);
