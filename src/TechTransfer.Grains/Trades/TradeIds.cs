namespace TechTransfer.Trades;

/// <summary>
/// Trade ids: a kind prefix and 32 lower-case hex digits (a version-7 Guid). Anything else cannot be a trade, so
/// a route or hub call naming it is refused before a grain is activated or PostgreSQL is asked.
/// </summary>
public static class TradeIds
{
    public const string AuctionPrefix = "auc-";
    public const string FixedPricePrefix = "fpl-";
    public const string TenderPrefix = "tnd-";

    public static string NewAuction() => AuctionPrefix + Guid.CreateVersion7().ToString("N");

    public static string NewFixedPrice() => FixedPricePrefix + Guid.CreateVersion7().ToString("N");

    public static string NewTender() => TenderPrefix + Guid.CreateVersion7().ToString("N");

    public static bool IsAuction(string? id) => IsWellFormed(id, AuctionPrefix);

    public static bool IsFixedPrice(string? id) => IsWellFormed(id, FixedPricePrefix);

    public static bool IsTender(string? id) => IsWellFormed(id, TenderPrefix);

    public static bool IsTrade(string? id) => IsAuction(id) || IsFixedPrice(id) || IsTender(id);

    /// <summary>The prefix and 32 hex digits, nothing else (the format of every id the create endpoints make).</summary>
    public static bool IsWellFormed(string? id, string prefix) =>
        id is { Length: 36 } && id.StartsWith(prefix, StringComparison.Ordinal)
        && id.AsSpan(prefix.Length).IndexOfAnyExcept("0123456789abcdef") < 0;
}
