using TechTransfer.Accounts;
using TechTransfer.Listings;

namespace TechTransfer.Achievements;

/// <summary>One per 科技成果; key = achievement id ("ach-…"). The only writer of its state.</summary>
public interface IAchievementGrain : IGrainWithStringKey
{
    /// <summary>Creates the draft; fails with already-exists if the id is taken.</summary>
    Task<AchievementView> CreateAsync(Actor actor, AchievementContent content);

    /// <summary>Creates or brings up to date a listing from an institution's catalogue (idempotent per external id).</summary>
    Task<SyncOutcome> SyncFromCatalogueAsync(Actor actor, AchievementContent content, string externalId);

    /// <summary>The listing as <paramref name="viewer"/> may see it, or null when it is not theirs to see.</summary>
    Task<AchievementView?> GetAsync(Actor? viewer);

    /// <summary>Replaces the content when <paramref name="expectedVersion"/> is still current.</summary>
    Task<AchievementView> UpdateAsync(Actor actor, AchievementContent content, int expectedVersion);

    Task<AchievementView> PublishAsync(Actor actor);

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
    int Version);
