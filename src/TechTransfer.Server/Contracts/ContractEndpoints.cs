using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Contracts;

/// <summary>
/// Registered technology contracts (registration itself goes through the deal: POST /api/deals/{id}/contract) and
/// the national trading index. A contract is shown to its parties, its center's staff and the national level only.
/// </summary>
public static class ContractEndpoints
{
    /// <summary>An amendment: the field, its corrected value (a number or a string) and why.</summary>
    public sealed record AmendmentInput(string? Field, JsonElement? Value, string? Reason);

    public static void MapContracts(this IEndpointRouteBuilder app)
    {
        var contracts = app.MapGroup("/api/contracts").WithTags("Contracts").RequireAuthorization();

        contracts.MapGet("/{number}", async (string number, HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok(await Contract(grains, number).GetAsync(http.User.RequiredActor())
                ?? throw new ProblemException(ProblemCodes.NotFound)));

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
