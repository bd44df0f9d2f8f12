using TechTransfer.Accounts;
using TechTransfer.Trades;

namespace TechTransfer.FixedPriceListings;

/// <summary>
/// One per 挂牌 (an achievement offered at a fixed price for a period); key = "fpl-…". The first valid acceptance
/// wins: acceptances are handled one at a time, and the first that finds the offer open takes it.
/// </summary>
[Alias("tt.IFixedPriceListingGrain")]
public interface IFixedPriceListingGrain : IAchievementTrade
{
    /// <summary>A member of the achievement's owner organization offers the (published) achievement.</summary>
    [Alias("CreateAsync")]
    Task<FixedPriceListingView> CreateAsync(Actor actor, FixedPriceTerms terms);

    [Alias("GetAsync")]
    Task<FixedPriceListingView?> GetAsync(Actor viewer);

    /// <summary>A verified enterprise other than the seller accepts the price. Repeating the winning acceptance is harmless.</summary>
    [Alias("AcceptAsync")]
    Task<FixedPriceListingView> AcceptAsync(Actor actor);
}

/// <summary>Price in 万元; the offer is open from StartsAt until EndsAt. Description: the seller's 挂牌说明 (optional).</summary>
[GenerateSerializer, Immutable, Alias("tt.FixedPriceTerms")]
public sealed record FixedPriceTerms(
    [property: Id(0)] string AchievementId, [property: Id(1)] decimal Price, [property: Id(2)] DateTimeOffset StartsAt,
    [property: Id(3)] DateTimeOffset EndsAt, [property: Id(4)] string? Description = null);

/// <summary>Status: Scheduled, Open, Accepted, Expired, Withdrawn (the achievement left the market). The buyer and the deal only for the parties and the national level.</summary>
[GenerateSerializer, Immutable, Alias("tt.FixedPriceListingView")]
public sealed record FixedPriceListingView(
    [property: Id(0)] string Id, [property: Id(1)] string AchievementId, [property: Id(2)] string Title, [property: Id(3)] string TechField,
    [property: Id(4)] string SellerOrganizationId, [property: Id(5)] string Status, [property: Id(6)] decimal Price,
    [property: Id(7)] DateTimeOffset StartsAt, [property: Id(8)] DateTimeOffset EndsAt, [property: Id(9)] DateTimeOffset? AcceptedAt,
    [property: Id(10)] string? BuyerOrganizationId, [property: Id(11)] string? DealId, [property: Id(12)] bool IsSeller,
    [property: Id(13)] bool IsBuyer, [property: Id(14)] string? Description = null);
