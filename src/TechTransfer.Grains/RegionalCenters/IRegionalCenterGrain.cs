using Orleans.Concurrency;
using TechTransfer.Listings;

namespace TechTransfer.RegionalCenters;

/// <summary>One per 区域服务中心; key = region code from regions.json (e.g. "yangtze-delta").</summary>
[Alias("tt.IRegionalCenterGrain")]
public interface IRegionalCenterGrain : IGrainWithStringKey
{
    /// <summary>
    /// Answers between the turns of other calls (it only reads memory): every connection of a broker asks whether it
    /// is one of the center's (Audiences), and must not queue behind an announcement that waits for PostgreSQL.
    /// </summary>
    [AlwaysInterleave]
    [Alias("GetAsync")]
    Task<RegionalCenterView> GetAsync();

    /// <summary>A listing in this region left the market. Idempotent.</summary>
    [Alias("ListingRemovedAsync")]
    Task ListingRemovedAsync(ListingKind kind, string listingId);

    /// <summary>A listing in this region went on the market: counted, and announced to the center and national.</summary>
    [Alias("ListingPublishedAsync")]
    Task ListingPublishedAsync(ListingKind kind, string listingId, int version, string title, string techField, string province);

    /// <summary>Makes the account a broker (技术经纪人) of this center.</summary>
    [Alias("AddBrokerAsync")]
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
