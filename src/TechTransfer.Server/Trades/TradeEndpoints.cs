using TechTransfer.Problems;

namespace TechTransfer.Trades;

/// <summary>/api/trades: the trading hall (交易大厅) — listings, auctions and tenders, open ones first. Signed-in users.</summary>
public static class TradeEndpoints
{
    public static void MapTrades(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/trades", async (string? kind, TradeProjection hall, CancellationToken cancellation) =>
        {
            var v = new Validation();
            if (kind is not null && kind is not ("FixedPriceListing" or "Auction" or "Tender")) v.Fail("kind", "unknown-value", kind);
            v.ThrowIfInvalid();
            return TypedResults.Ok(await hall.ListAsync(kind, 200, cancellation));
        }).WithTags("Trading").RequireAuthorization();
}
