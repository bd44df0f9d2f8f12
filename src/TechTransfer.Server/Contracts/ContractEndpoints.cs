using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using TechTransfer.Names;
using TechTransfer.Problems;
using TechTransfer.Security;
using TechTransfer.Storage;

namespace TechTransfer.Contracts;

/// <summary>
/// Registered technology contracts (registration itself goes through the deal: POST /api/deals/{id}/contract) and
/// the national trading index. A contract is shown to its parties, its center's staff and the national level only.
/// </summary>
public static class ContractEndpoints
{
    /// <summary>An amendment: the field, its corrected value (a number or a string) and why.</summary>
    public sealed record AmendmentInput(string? Field, JsonElement? Value, string? Reason);

    /// <summary>What the contract's page shows beside the contract: the traded listings' titles, the deal's broker, and whether the caller may amend it.</summary>
    public sealed record ContractBeside(string? AchievementTitle, string? DemandTitle, string? Broker, bool MayAmend);

    public static void MapContracts(this IEndpointRouteBuilder app)
    {
        var contracts = app.MapGroup("/api/contracts").WithTags("Contracts").RequireAuthorization();

        // 我的合同: the contracts the caller may see (parties: their organization's; a center's staff: its region's;
        // national: all), newest registration first, paged like every list.
        contracts.MapGet("/", async (int? page, int? size, HttpContext http, ContractProjection projection, Names.DisplayNames names,
            CancellationToken cancellation) =>
        {
            var (p, s) = Listings.ListingHttp.Paging(page, size);
            var result = await projection.VisibleToAsync(http.User.RequiredActor(), p, s, cancellation);
            return TypedResults.Ok(await names.WithNamesAsync(result,
                result.Items.SelectMany(c => new[] { c.SellerOrganizationId, c.BuyerOrganizationId, c.RegionCode })));
        }).ProducesWithNames<ContractPage>();

        // The contract with what its page shows beside it: names for every id, the traded listings' titles, the deal's
        // broker, and whether the caller may amend it (decided here, by the same rule the grain applies).
        contracts.MapGet("/{number}", async (string number, HttpContext http, IGrainFactory grains, ContractProjection projection,
            Names.DisplayNames names, CancellationToken cancellation) =>
        {
            var actor = http.User.RequiredActor();
            var view = await Contract(grains, number).GetAsync(actor) ?? throw new ProblemException(ProblemCodes.NotFound);
            var context = await projection.ContextAsync(view.Facts, cancellation);
            var body = await names.WithNamesAsync(view, [view.Facts.SellerOrganizationId, view.Facts.BuyerOrganizationId,
                view.Facts.RegionCode, view.RegisteredBy, context.Broker, .. view.Amendments.Select(a => a.AmendedBy)]);
            var beside = new ContractBeside(context.AchievementTitle, context.DemandTitle, context.Broker,
                ContractRules.MayRegisterOrAmend(actor, view.Facts.RegionCode));
            foreach (var (name, value) in JsonSerializer.SerializeToNode(beside, TechTransferJson.Options)!.AsObject())
                body[name] = value?.DeepClone();
            return TypedResults.Ok(body);
        }).ProducesWithNames<ContractView, ContractBeside>();

        contracts.MapPost("/{number}/amendments", async (string number, AmendmentInput input, HttpContext http, IGrainFactory grains) =>
        {
            var actor = http.User.RequiredActor();
            var view = await Contract(grains, number).AmendAsync(actor, input.Field ?? "", ValueText(input.Value), input.Reason ?? "");
            return TypedResults.Created($"/api/contracts/{number}", view);
        });

        // National statistics are public.
        app.MapGet("/api/trading-index", async (string? from, string? to, [FromQuery(Name = "base")] string? baseMonth, IGrainFactory grains) =>
            TypedResults.Ok(await TradingIndex.Get(grains).GetAsync(from, to, baseMonth))).WithTags("Contracts");
    }

    // Malformed numbers never reach a grain: no activation for garbage keys.
    static IContractGrain Contract(IGrainFactory grains, string number) =>
        ContractNumbers.IsValid(number) ? grains.Contract(number) : throw new ProblemException(ProblemCodes.NotFound);

    static string? ValueText(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.Value.GetString(),
        JsonValueKind.Number => value.Value.GetRawText(),
        _ => throw ProblemException.Invalid([new FieldError("value", "invalid-format")]),
    };
}
