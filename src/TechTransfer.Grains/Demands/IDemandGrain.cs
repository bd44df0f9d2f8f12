using TechTransfer.Accounts;
using TechTransfer.Listings;

namespace TechTransfer.Demands;

/// <summary>One per 技术需求; key = demand id ("dem-…"). The only writer of its state.</summary>
public interface IDemandGrain : IGrainWithStringKey
{
    /// <summary>Creates the draft; only enterprises post demands.</summary>
    Task<DemandView> CreateAsync(Actor actor, DemandContent content);

    /// <summary>The demand as <paramref name="viewer"/> may see it, or null when it is not theirs to see.</summary>
    Task<DemandView?> GetAsync(Actor? viewer);

    /// <summary>Replaces the content when <paramref name="expectedVersion"/> is still current.</summary>
    Task<DemandView> UpdateAsync(Actor actor, DemandContent content, int expectedVersion);

    Task<DemandView> PublishAsync(Actor actor);

    Task<DemandView> CloseAsync(Actor actor);
}

/// <summary>A demand as the API shows it. Contact is null unless the viewer may see it.</summary>
[GenerateSerializer, Immutable, Alias("tt.DemandView")]
public sealed record DemandView(
    string Id,
    string OwnerOrganizationId,
    string Status,
    string Title,
    string Description,
    string[] Keywords,
    string TechField,
    int MinTrl,
    decimal? BudgetMin,
    decimal? BudgetMax,
    string Province,
    string? RegionCode,
    DateOnly Deadline,
    Contact? Contact,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt,
    int Version);
