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
    public static void MapReputation(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/organizations/{id}/credit", async (string id, HttpContext http, IGrainFactory grains, RegionDirectory regions,
            CreditRecords records, CancellationToken cancellation) =>
        {
            await OrganizationEndpoints.VisibleAsync(grains, regions, id, http.User.Actor());
            return TypedResults.Ok(await records.OrganizationAsync(id, cancellation));
        }).WithTags("Reputation").Produces<CreditReport>();

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
            if (!(Matching.ListingMatcher.IsMatchId(id) || Trades.TradeIds.IsTrade(id))) throw new ProblemException(ProblemCodes.NotFound);
            return TypedResults.Ok(await grains.GetGrain<Deals.IDealGrain>(id).RateAsync(http.User.RequiredActor(), stars!.Value, comment));
        }).WithTags("Deals").RequireAuthorization().Produces<Deals.DealView>();
    }

    /// <summary>A party's rating of the leading broker: 1–5 stars, an optional comment.</summary>
    public sealed record RatingInput(int? Stars, string? Comment);
}

/// <summary>What a list item carries beside its view: the 信誉 grade of each organization it names (organization id → grade).</summary>
public sealed record GradesBeside(IReadOnlyDictionary<string, string> Grades);
