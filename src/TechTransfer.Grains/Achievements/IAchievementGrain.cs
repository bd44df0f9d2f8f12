using Orleans.Concurrency;
using TechTransfer.Accounts;
using TechTransfer.Listings;

namespace TechTransfer.Achievements;

/// <summary>One per 科技成果; key = achievement id ("ach-…"). The only writer of its state.</summary>
[Alias("tt.IAchievementGrain")]
public interface IAchievementGrain : IListingGrain<AchievementContent, AchievementView>
{
    /// <summary>Creates or brings up to date a listing from an institution's catalogue (idempotent per external id).</summary>
    [Alias("SyncFromCatalogueAsync")]
    Task<SyncOutcome> SyncFromCatalogueAsync(Actor actor, AchievementContent content, string externalId);

    /// <summary>Off the market; its open trade ends with it (its bidders are told). A retry finishes what failed.</summary>
    [Alias("WithdrawAsync")]
    Task<AchievementView> WithdrawAsync(Actor actor);

    /// <summary>
    /// A trade of <paramref name="actor"/>'s organization takes the published achievement to market. Refused while
    /// another trade of it is open (409 achievement-in-trade, naming that trade); of concurrent creations one wins.
    /// </summary>
    [Alias("OpenTradeAsync")]
    Task<AchievementView> OpenTradeAsync(Actor actor, string tradeId);

    /// <summary>
    /// Whether <paramref name="tradeId"/> may still sell the achievement: it is published and that trade is its open
    /// one. Interleaves (a read of memory), so a trade may ask while the achievement waits on that trade.
    /// </summary>
    [AlwaysInterleave]
    [Alias("IsOnMarketForAsync")]
    Task<bool> IsOnMarketForAsync(string tradeId);
}

/// <summary>An achievement as the API shows it. Contact is null unless the viewer may see it.</summary>
[GenerateSerializer, Immutable, Alias("tt.AchievementView")]
public sealed record AchievementView(
    string Id,
    string OwnerOrganizationId,
    string Status,
    string Title,
    string Summary,
    string[] Keywords,
    string TechField,
    int Trl,
    string[] TransferModes,
    decimal? AskingPrice,
    string Province,
    string? RegionCode,
    IpRight[] IpRights,
    Contact? Contact,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt,
    int Version,
    DateTimeOffset? ExpiresAt = null,
    bool Renewed = false,
    Completeness? Completeness = null) : IVersioned;
