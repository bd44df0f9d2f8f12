using Orleans.Concurrency;
using TechTransfer.Vocabulary;

namespace TechTransfer.Organizations;

/// <summary>One per university, institute, enterprise or service center; key = organization id ("org-…").</summary>
public interface IOrganizationGrain : IGrainWithStringKey
{
    /// <summary>Registers the organization; repeating the same registration is a no-op.</summary>
    Task<OrganizationView> RegisterAsync(OrganizationProfile profile);

    /// <summary>Answers between the turns of other calls (it only reads memory): every event to the organization asks for its members.</summary>
    [AlwaysInterleave]
    Task<OrganizationView?> GetAsync();

    Task AddMemberAsync(string accountId);

    /// <summary>Marks the organization verified (认证) or not; trading asks for it. Who may is decided by the caller's endpoint.</summary>
    Task<OrganizationView> SetVerifiedAsync(bool verified);
}

/// <summary>Who an organization is. RegionCode is set for service centers only.</summary>
[GenerateSerializer, Immutable, Alias("tt.OrganizationProfile")]
public sealed record OrganizationProfile(string Name, OrganizationKind Kind, string Province, string? RegionCode = null);

[GenerateSerializer, Immutable, Alias("tt.OrganizationView")]
public sealed record OrganizationView(
    string Id, string Name, string Kind, string Province, string? RegionCode, string[] Members, DateTimeOffset CreatedAt,
    bool Verified = false);
