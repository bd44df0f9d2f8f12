using TechTransfer.Names;
using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Auctions;

/// <summary>
/// /api/auctions: create (the achievement's owner), read (anyone signed in; bidders masked), bid (verified
/// enterprises other than the seller). Every permission and every rule of the auction is decided by its grain.
/// </summary>
public static class AuctionEndpoints
{
    public sealed record AuctionInput(
        string? AchievementId, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, decimal? StartingPrice, decimal? ReservePrice,
        decimal? MinIncrement, bool? DepositRequired, string? Description);

    public sealed record BidInput(string? ClientBidId, decimal? Amount);

    public static void MapAuctions(this IEndpointRouteBuilder app)
    {
        var auctions = app.MapGroup("/api/auctions").WithTags("Trading").RequireAuthorization();

        auctions.MapPost("/", async (AuctionInput input, HttpContext http, IGrainFactory grains, TimeProvider clock) =>
        {
            var terms = Validate(input, clock.GetUtcNow());
            var id = "auc-" + Guid.CreateVersion7().ToString("N");
            var view = await grains.GetGrain<IAuctionGrain>(id).CreateAsync(http.User.RequiredActor(), terms);
            return TypedResults.Created($"/api/auctions/{id}", view);
        });

        auctions.MapGet("/{id}", async (string id, HttpContext http, IGrainFactory grains, Names.DisplayNames names) =>
        {
            var view = await Auction(grains, id).GetAsync(http.User.RequiredActor()) ?? throw new ProblemException(ProblemCodes.NotFound);
            return TypedResults.Ok(await names.WithNamesAsync(view, [view.SellerOrganizationId, view.WinnerOrganizationId]));
        }).ProducesWithNames<AuctionView>();

        auctions.MapPost("/{id}/bids", async (string id, BidInput input, HttpContext http, IGrainFactory grains) =>
        {
            var v = new Validation();
            var clientBidId = v.ClientId("clientBidId", input.ClientBidId);
            var amount = v.Money("amount", input.Amount);
            v.ThrowIfInvalid();
            return TypedResults.Ok(await Auction(grains, id).BidAsync(http.User.RequiredActor(), clientBidId!, amount!.Value));
        });
    }

    static AuctionTerms Validate(AuctionInput input, DateTimeOffset now)
    {
        var v = new Validation();
        var achievementId = v.Text("achievementId", input.AchievementId, 64);
        if (achievementId is not null && !achievementId.StartsWith("ach-", StringComparison.Ordinal)) v.Fail("achievementId", "invalid-format");
        var startsAt = input.StartsAt ?? now;
        if (input.EndsAt is null) v.Fail("endsAt", "required");
        else if (input.EndsAt <= now) v.Fail("endsAt", "in-past");
        else if (input.EndsAt <= startsAt) v.Fail("endsAt", "too-early", "startsAt");
        else if (input.EndsAt - startsAt > TimeSpan.FromDays(90)) v.Fail("endsAt", "max-days", "90");
        var starting = v.Money("startingPrice", input.StartingPrice);
        var reserve = v.Money("reservePrice", input.ReservePrice ?? 0m, mayBeZero: true);
        var increment = v.Money("minIncrement", input.MinIncrement);
        var description = v.Text("description", input.Description, 2000, required: false, multiline: true);
        v.ThrowIfInvalid();
        return new AuctionTerms(achievementId!, startsAt, input.EndsAt!.Value, starting!.Value, reserve!.Value, increment!.Value,
            input.DepositRequired ?? false, description);
    }

    // Malformed ids never reach a grain.
    static IAuctionGrain Auction(IGrainFactory grains, string id) =>
        Trades.TradeIds.IsAuction(id) ? grains.GetGrain<IAuctionGrain>(id) : throw new ProblemException(ProblemCodes.NotFound);
}
