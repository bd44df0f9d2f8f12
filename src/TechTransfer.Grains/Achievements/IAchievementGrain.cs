using TechTransfer.Accounts;
using TechTransfer.Listings;

namespace TechTransfer.Achievements;

/// <summary>One per 科技成果; key = achievement id ("ach-…"). The only writer of its state.</summary>
public interface IAchievementGrain : IListingGrain<AchievementContent, AchievementView>
{
    /// <summary>Creates or brings up to date a listing from an institution's catalogue (idempotent per external id).</summary>
    Task<SyncOutcome> SyncFromCatalogueAsync(Actor actor, AchievementContent content, string externalId);

    Task<AchievementView> WithdrawAsync(Actor actor);
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
    int Version) : IVersioned;
