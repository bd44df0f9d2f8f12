using TechTransfer.Listings;

namespace TechTransfer.RegionalCenters;

/// <summary>One per 区域服务中心; key = region code from regions.json (e.g. "yangtze-delta").</summary>
public interface IRegionalCenterGrain : IGrainWithStringKey
{
    Task<RegionalCenterView> GetAsync();

    /// <summary>A listing in this region was published (true) or left the market (false). Idempotent.</summary>
    Task ListingChangedAsync(ListingKind kind, string listingId, bool published);

    /// <summary>Makes the account a broker (技术经纪人) of this center.</summary>
    Task AddBrokerAsync(string accountId);
}

/// <summary>A center with its live counts of published listings in its provinces.</summary>
[GenerateSerializer, Immutable, Alias("tt.RegionalCenterView")]
public sealed record RegionalCenterView(
    string Code,
    string Name,
    string ShortName,
    string[] Provinces,
    string[] Brokers,
    int PublishedAchievements,
    int PublishedDemands);
