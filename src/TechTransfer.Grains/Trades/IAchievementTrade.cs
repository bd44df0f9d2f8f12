using Orleans.Concurrency;
using TechTransfer.Auctions;
using TechTransfer.FixedPriceListings;

namespace TechTransfer.Trades;

/// <summary>
/// A trade that sells an achievement (挂牌, 拍卖). An achievement is in at most one open trade: its grain records that
/// trade (the single writer decides between concurrent creations) and asks it these when it matters.
/// </summary>
[Alias("tt.IAchievementTrade")]
public interface IAchievementTrade : IGrainWithStringKey
{
    /// <summary>
    /// Whether the trade can still sell: being created, scheduled or open (an auction past its end but not yet ended
    /// counts: its end may still sell). Interleaves (a read of memory), so the achievement may ask while this trade
    /// is itself waiting on the achievement.
    /// </summary>
    [AlwaysInterleave]
    [Alias("IsOpenAsync")]
    Task<bool> IsOpenAsync();

    /// <summary>The achievement left the market: the trade ends unsold and its bidders are told. Idempotent.</summary>
    [Alias("EndForWithdrawalAsync")]
    Task EndForWithdrawalAsync();
}

public static class AchievementTrades
{
    public static IAchievementTrade Of(IGrainFactory grains, string tradeId) => tradeId.StartsWith("auc-", StringComparison.Ordinal)
        ? grains.GetGrain<IAuctionGrain>(tradeId)
        : grains.GetGrain<IFixedPriceListingGrain>(tradeId);
}
