using TechTransfer.Accounts;
using TechTransfer.Trades;

namespace TechTransfer.Auctions;

/// <summary>
/// One per 拍卖 (English ascending auction of an achievement); key = auction id ("auc-…"). The single owner that
/// orders bids, moves the end (soft close), ends the auction on time and opens the winner's deal.
/// </summary>
[Alias("tt.IAuctionGrain")]
public interface IAuctionGrain : IAchievementTrade
{
    /// <summary>A member of the achievement's owner organization puts the (published) achievement up for auction.</summary>
    [Alias("CreateAsync")]
    Task<AuctionView> CreateAsync(Actor actor, AuctionTerms terms);

    /// <summary>The auction as <paramref name="viewer"/> may see it (bidders masked); null when there is none.</summary>
    [Alias("GetAsync")]
    Task<AuctionView?> GetAsync(Actor viewer);

    /// <summary>
    /// A bid by a verified enterprise other than the seller. Idempotent per (bidder, <paramref name="clientBidId"/>):
    /// a retry returns the first answer. Acknowledged only once the bid is in the append-only log.
    /// </summary>
    [Alias("BidAsync")]
    Task<BidReceipt> BidAsync(Actor actor, string clientBidId, decimal amount);
}

/// <summary>What the seller sets. Amounts in 万元; times are instants (UTC). Description: the seller's 拍卖说明 (optional).</summary>
[GenerateSerializer, Immutable, Alias("tt.AuctionTerms")]
public sealed record AuctionTerms(
    [property: Id(0)] string AchievementId, [property: Id(1)] DateTimeOffset StartsAt, [property: Id(2)] DateTimeOffset EndsAt,
    [property: Id(3)] decimal StartingPrice, [property: Id(4)] decimal ReservePrice, [property: Id(5)] decimal MinIncrement,
    [property: Id(6)] bool DepositRequired, [property: Id(7)] string? Description = null);

/// <summary>An accepted bid as others see it: the bidder only as "竞买人 n" (n in order of their first bid).</summary>
[GenerateSerializer, Immutable, Alias("tt.AuctionBidView")]
public sealed record AuctionBidView(
    [property: Id(0)] int Sequence, [property: Id(1)] string Bidder, [property: Id(2)] decimal Amount, [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] bool Mine);

/// <summary>The answer to an accepted bid; the same again for a retry with the same client bid id.</summary>
[GenerateSerializer, Immutable, Alias("tt.BidReceipt")]
public sealed record BidReceipt(
    [property: Id(0)] string AuctionId, [property: Id(1)] string ClientBidId, [property: Id(2)] int Sequence,
    [property: Id(3)] decimal Amount, [property: Id(4)] DateTimeOffset At, [property: Id(5)] DateTimeOffset EndsAt,
    [property: Id(6)] bool Extended);

/// <summary>
/// Status: Scheduled (before StartsAt), Open, Sold, Unsold, Withdrawn (the achievement left the market before the end). ReservePrice only for the seller and the national level
/// (others see ReserveMet). Winner and deal only for the two parties and the national level.
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.AuctionView")]
public sealed record AuctionView(
    [property: Id(0)] string Id, [property: Id(1)] string AchievementId, [property: Id(2)] string Title, [property: Id(3)] string TechField,
    [property: Id(4)] string SellerOrganizationId, [property: Id(5)] string Status, [property: Id(6)] DateTimeOffset StartsAt,
    [property: Id(7)] DateTimeOffset EndsAt, [property: Id(8)] decimal StartingPrice, [property: Id(9)] decimal? ReservePrice,
    [property: Id(10)] bool ReserveMet, [property: Id(11)] decimal MinIncrement, [property: Id(12)] bool DepositRequired,
    [property: Id(13)] decimal? CurrentPrice, [property: Id(14)] decimal NextMinimum, [property: Id(15)] AuctionBidView[] Bids,
    [property: Id(16)] DateTimeOffset? EndedAt, [property: Id(17)] string? WinnerOrganizationId, [property: Id(18)] decimal? WinningAmount,
    [property: Id(19)] string? DealId, [property: Id(20)] bool IsSeller, [property: Id(21)] bool Leading,
    [property: Id(22)] string? Description = null);
