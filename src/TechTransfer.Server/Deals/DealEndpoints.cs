using TechTransfer.Contracts;
using TechTransfer.Names;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Security;
using TechTransfer.Vocabulary;

namespace TechTransfer.Deals;

/// <summary>
/// /api/deals/{matchId}: interest, claim, stages, close and contract registration; /api/deals: my organization's deals.
/// Every permission is decided by the deal grain. A center's queue is RegionalCenters/RegionQueueEndpoints.
/// </summary>
public static class DealEndpoints
{
    public sealed record InterestRequest(string? Note);

    public sealed record ClaimRequest(string? Note);

    public sealed record StageRequest(string? Stage, string? Note);

    public sealed record CloseRequest(string? Reason);

    public static void MapDeals(this IEndpointRouteBuilder app)
    {
        var deals = app.MapGroup("/api/deals").WithTags("Deals").RequireAuthorization();

        // 我的对接: the caller's deals (DealProjection.MineAsync says whose), paged, with names for every party and broker.
        deals.MapGet("/", async (int? page, int? size, string? stage, HttpContext http, DealProjection projection,
            Names.DisplayNames names, CancellationToken cancellation) =>
        {
            var (p, s) = Listings.ListingHttp.Paging(page, size);
            var v = new Validation();
            var filter = string.IsNullOrEmpty(stage) ? null : v.Enum<DealStage>("stage", stage);
            v.ThrowIfInvalid();
            var result = await projection.MineAsync(http.User.RequiredActor(), filter, p, s, cancellation);
            return TypedResults.Ok(await names.WithNamesAsync(result, result.Items.SelectMany(d =>
                new[] { d.AchievementOrganizationId, d.DemandOrganizationId, d.ClaimedBy, d.LeadingRegion })));
        }).ProducesWithNames<MyDealPage>();

        deals.MapGet("/{id}", async (string id, HttpContext http, IGrainFactory grains, Names.DisplayNames names) =>
        {
            var d = await Deal(grains, id).GetAsync(http.User.RequiredActor()) ?? throw new ProblemException(ProblemCodes.NotFound);
            var f = d.Facts;
            return TypedResults.Ok(await names.WithNamesAsync(d, [d.ClaimedBy, d.LeadingRegion, f.AchievementOrganizationId, f.DemandOrganizationId,
                f.AchievementRegion, f.DemandRegion, .. d.Trail.Select(e => e.Actor)]));
        }).ProducesWithNames<DealView>();

        deals.MapPost("/{id}/interest", async (string id, InterestRequest? body, HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok(await Deal(grains, id).SetInterestAsync(http.User.RequiredActor(), true, Note(body?.Note))));

        deals.MapDelete("/{id}/interest", async (string id, HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok(await Deal(grains, id).SetInterestAsync(http.User.RequiredActor(), false, null)));

        deals.MapPost("/{id}/claim", async (string id, ClaimRequest? body, HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok(await Deal(grains, id).ClaimAsync(http.User.RequiredActor(), Note(body?.Note))));

        deals.MapPost("/{id}/stage", async (string id, StageRequest body, HttpContext http, IGrainFactory grains) =>
        {
            var v = new Validation();
            var stage = v.Enum<DealStage>("stage", body.Stage);
            var note = v.Text("note", body.Note, 500, required: false, multiline: true);
            v.ThrowIfInvalid();
            return TypedResults.Ok(await Deal(grains, id).AdvanceAsync(http.User.RequiredActor(), stage!.Value, note));
        });

        deals.MapPost("/{id}/close", async (string id, CloseRequest body, HttpContext http, IGrainFactory grains) =>
        {
            var v = new Validation();
            var reason = v.Text("reason", body.Reason, 500, multiline: true);
            v.ThrowIfInvalid();
            return TypedResults.Ok(await Deal(grains, id).CloseAsync(http.User.RequiredActor(), reason!));
        });

        deals.MapPost("/{id}/contract", async (string id, ContractInput body, HttpContext http, IGrainFactory grains, TimeProvider clock) =>
        {
            var content = body.Validate(ChinaTime.Today(clock));
            return TypedResults.Ok(await Deal(grains, id).RegisterContractAsync(http.User.RequiredActor(), content));
        });

        // The seller registers a contract signed outside the deal flow; a broker still within the tail stays attributed.
        deals.MapPost("/{id}/own-contract", async (string id, ContractInput body, HttpContext http, IGrainFactory grains, TimeProvider clock) =>
        {
            var content = body.Validate(ChinaTime.Today(clock));
            return TypedResults.Ok(await Deal(grains, id).RegisterOwnContractAsync(http.User.RequiredActor(), content, body.AcknowledgeBroker == true));
        });
    }

    static string? Note(string? note)
    {
        var v = new Validation();
        var text = v.Text("note", note, 500, required: false, multiline: true);
        v.ThrowIfInvalid();
        return text;
    }

    /// <summary>The deal grain of a well-formed deal id (a match's or a trade's); malformed ids never reach a grain.</summary>
    internal static IDealGrain Deal(IGrainFactory grains, string id) =>
        Matching.ListingMatcher.IsMatchId(id) || Trades.TradeIds.IsTrade(id)
            ? grains.GetGrain<IDealGrain>(id) : throw new ProblemException(ProblemCodes.NotFound);
}
