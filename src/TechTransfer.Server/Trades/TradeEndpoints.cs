using TechTransfer.Problems;

namespace TechTransfer.Trades;

/// <summary>
/// /api/trades: the trading hall (交易大厅) — listings, auctions and tenders, open ones first, each row with the
/// name of the organization that put it up. <c>?listingId=</c> narrows it to one achievement's or demand's trades.
/// Signed-in users.
/// </summary>
public static class TradeEndpoints
{
    public static void MapTrades(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/trades", async (string? kind, string? listingId, TradeProjection hall, Names.DisplayNames names, CancellationToken cancellation) =>
        {
            var v = new Validation();
            if (kind is not null && kind is not ("FixedPriceListing" or "Auction" or "Tender")) v.Fail("kind", "unknown-value", kind);
            if (listingId is not null && (listingId.Length > 64 || !(listingId.StartsWith("ach-", StringComparison.Ordinal) || listingId.StartsWith("dem-", StringComparison.Ordinal))))
                v.Fail("listingId", "invalid-format");
            v.ThrowIfInvalid();
            var rows = await hall.ListAsync(kind, 200, cancellation, listingId);
            var named = await names.OfAsync(rows.Select(r => r.OwnerOrganizationId));
            return TypedResults.Ok(rows.Select(r => new NamedTradeRow(r, named.GetValueOrDefault(r.OwnerOrganizationId, "未登记机构"))));
        }).WithTags("Trading").RequireAuthorization();

    /// <summary>A hall row with the owner's name (a person reads the name, an integrator joins on the id).</summary>
    public sealed record NamedTradeRow(
        string Id, string Kind, string Title, string ListingId, string OwnerOrganizationId, string OwnerName, string? Region,
        string Status, decimal? Price, int Bids, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Version)
    {
        public NamedTradeRow(TradeRow r, string ownerName) : this(r.Id, r.Kind, r.Title, r.ListingId, r.OwnerOrganizationId, ownerName,
            r.Region, r.Status, r.Price, r.Bids, r.StartsAt, r.EndsAt, r.Version) { }
    }
}
