using TechTransfer.Accounts;
using TechTransfer.Listings;

namespace TechTransfer.Demands;

/// <summary>One per 技术需求; key = demand id ("dem-…"). The only writer of its state.</summary>
[Alias("tt.IDemandGrain")]
public interface IDemandGrain : IListingGrain<DemandContent, DemandView>
{
    [Alias("CloseAsync")]
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
    int Version,
    DateTimeOffset? ExpiresAt = null,
    bool Renewed = false) : IVersioned;
