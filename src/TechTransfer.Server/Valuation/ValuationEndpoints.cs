using TechTransfer.Achievements;
using TechTransfer.Demands;
using TechTransfer.Listings;
using TechTransfer.Names;
using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Valuation;

/// <summary>
/// 评估报价 (docs/institutions.md): an achievement's indicative price range and the seller's method inputs, a
/// demand's budget guidance. Only the owner's organization, the centers' staff and the national level (403 for a
/// signed-in outsider who may see the listing, 404 for what they may not see at all).
/// </summary>
public static class ValuationEndpoints
{
    public static void MapValuation(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/achievements/{id}/valuation", async (string id, HttpContext http, IGrainFactory grains, Valuer valuer,
            Names.DisplayNames names, CancellationToken cancellation) =>
        {
            var actor = http.User.RequiredActor();
            var view = ListingIds.IsAchievement(id) ? await grains.GetGrain<IAchievementGrain>(id).GetAsync(actor) : null;
            if (view is null) throw new ProblemException(ProblemCodes.NotFound);
            if (!ValuationRules.MayView(actor, view.OwnerOrganizationId)) throw new ProblemException(ProblemCodes.Forbidden);
            var inputs = await grains.GetGrain<IValuationInputsGrain>(id).GetAsync(actor);
            var subject = await valuer.SubjectAsync(id, cancellation) ?? throw new ProblemException(ProblemCodes.NotFound);
            var guidance = await valuer.GuideAsync(actor, subject, inputs, cancellation);
            var body = await names.WithNamesAsync(guidance, [inputs?.UpdatedBy, .. guidance.Comparables.Select(c => c.RegionCode)]);
            body["mayEditInputs"] = ValuationRules.MayEditInputs(actor, view.OwnerOrganizationId);
            return TypedResults.Ok(body);
        }).WithTags("Valuation").RequireAuthorization().ProducesWithNames<PriceGuidance, ValuationBeside>();

        app.MapPut("/api/achievements/{id}/valuation-inputs", async (string id, ValuationInputsInput input, HttpContext http, IGrainFactory grains) =>
        {
            var actor = http.User.RequiredActor();
            var view = ListingIds.IsAchievement(id) ? await grains.GetGrain<IAchievementGrain>(id).GetAsync(actor) : null;
            if (view is null) throw new ProblemException(ProblemCodes.NotFound);
            // Who first: an outsider learns nothing from the validation of a form they may not fill in.
            if (!ValuationRules.MayEditInputs(actor, view.OwnerOrganizationId)) throw new ProblemException(ProblemCodes.Forbidden);
            var (income, cost) = input.Validate();
            return TypedResults.Ok(await grains.GetGrain<IValuationInputsGrain>(id).SetAsync(actor, income, cost));
        }).WithTags("Valuation").RequireAuthorization();

        // A demand's budget: the same comparables from the buyer's side; there are no seller's methods.
        app.MapGet("/api/demands/{id}/valuation", async (string id, HttpContext http, IGrainFactory grains, Valuer valuer,
            Names.DisplayNames names, CancellationToken cancellation) =>
        {
            var actor = http.User.RequiredActor();
            var view = ListingIds.IsDemand(id) ? await grains.GetGrain<IDemandGrain>(id).GetAsync(actor) : null;
            if (view is null) throw new ProblemException(ProblemCodes.NotFound);
            if (!ValuationRules.MayView(actor, view.OwnerOrganizationId)) throw new ProblemException(ProblemCodes.Forbidden);
            var subject = await valuer.SubjectAsync(id, cancellation) ?? throw new ProblemException(ProblemCodes.NotFound);
            var guidance = await valuer.GuideAsync(actor, subject, null, cancellation);
            return TypedResults.Ok(await names.WithNamesAsync(guidance, guidance.Comparables.Select(c => c.RegionCode)));
        }).WithTags("Valuation").RequireAuthorization().ProducesWithNames<PriceGuidance>();
    }
}

/// <summary>What an achievement's valuation says beside the guidance: whether the caller may give the seller's inputs.</summary>
public sealed record ValuationBeside(bool MayEditInputs);
