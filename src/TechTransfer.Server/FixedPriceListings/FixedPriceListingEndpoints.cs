using TechTransfer.Names;
using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.FixedPriceListings;

/// <summary>
/// /api/fixed-price-listings: offer (the achievement's owner), read (anyone signed in), accept (verified enterprises
/// other than the seller; the first wins). Every permission is decided by the listing's grain.
/// </summary>
public static class FixedPriceListingEndpoints
{
    public sealed record FixedPriceInput(string? AchievementId, decimal? Price, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Description);

    public static void MapFixedPriceListings(this IEndpointRouteBuilder app)
    {
        var listings = app.MapGroup("/api/fixed-price-listings").WithTags("Trading").RequireAuthorization();

        listings.MapPost("/", async (FixedPriceInput input, HttpContext http, IGrainFactory grains, TimeProvider clock) =>
        {
            var now = clock.GetUtcNow();
            var v = new Validation();
            var achievementId = v.Text("achievementId", input.AchievementId, 64);
            if (achievementId is not null && !achievementId.StartsWith("ach-", StringComparison.Ordinal)) v.Fail("achievementId", "invalid-format");
            var price = v.Money("price", input.Price);
            var startsAt = input.StartsAt ?? now;
            if (input.EndsAt is null) v.Fail("endsAt", "required");
            else if (input.EndsAt <= now) v.Fail("endsAt", "in-past");
            else if (input.EndsAt <= startsAt) v.Fail("endsAt", "too-early", "startsAt");
            else if (input.EndsAt - startsAt > TimeSpan.FromDays(366)) v.Fail("endsAt", "max-days", "366");
            var description = v.Text("description", input.Description, 2000, required: false, multiline: true);
            v.ThrowIfInvalid();
            var id = "fpl-" + Guid.CreateVersion7().ToString("N");
            var view = await grains.GetGrain<IFixedPriceListingGrain>(id).CreateAsync(http.User.RequiredActor(),
                new FixedPriceTerms(achievementId!, price!.Value, startsAt, input.EndsAt!.Value, description));
            return TypedResults.Created($"/api/fixed-price-listings/{id}", view);
        });

        listings.MapGet("/{id}", async (string id, HttpContext http, IGrainFactory grains, Names.DisplayNames names) =>
        {
            var view = await Listing(grains, id).GetAsync(http.User.RequiredActor()) ?? throw new ProblemException(ProblemCodes.NotFound);
            return TypedResults.Ok(await names.WithNamesAsync(view, [view.SellerOrganizationId, view.BuyerOrganizationId]));
        }).ProducesWithNames<FixedPriceListingView>();

        listings.MapPost("/{id}/accept", async (string id, HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok(await Listing(grains, id).AcceptAsync(http.User.RequiredActor())));
    }

    static IFixedPriceListingGrain Listing(IGrainFactory grains, string id) =>
        Trades.TradeIds.IsFixedPrice(id) ? grains.GetGrain<IFixedPriceListingGrain>(id) : throw new ProblemException(ProblemCodes.NotFound);
}
