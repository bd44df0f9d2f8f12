using Orleans.Concurrency;
using TechTransfer.Vocabulary;

namespace TechTransfer.Organizations;

/// <summary>One per university, institute, enterprise or service center; key = organization id ("org-…").</summary>
[Alias("tt.IOrganizationGrain")]
public interface IOrganizationGrain : IGrainWithStringKey
{
    /// <summary>Registers the organization; repeating the same registration is a no-op.</summary>
    [Alias("RegisterAsync")]
    Task<OrganizationView> RegisterAsync(OrganizationProfile profile);

    /// <summary>Answers between the turns of other calls (it only reads memory): every event to the organization asks for its members.</summary>
    [AlwaysInterleave]
    [Alias("GetAsync")]
    Task<OrganizationView?> GetAsync();

    /// <summary>
    /// Creates the organization as an application to join (unverified, pending), with its applicant as its first
    /// member. Repeating the same application is a no-op (the applicant's retry); any other is already-exists.
    /// </summary>
    [Alias("ApplyAsync")]
    Task<OrganizationView> ApplyAsync(OrganizationProfile profile, string? phone, string? email, string applicantAccountId);

    [Alias("AddMemberAsync")]
    Task AddMemberAsync(string accountId);

    /// <summary>
    /// Marks the organization verified (认证) or not; trading asks for it. A pending application is decided with it:
    /// approved, or rejected for <paramref name="reason"/>, which the applicant is shown. Who may is decided by the
    /// caller's endpoint.
    /// </summary>
    [Alias("SetVerifiedAsync")]
    Task<OrganizationView> SetVerifiedAsync(bool verified, string? reason = null, string? decidedBy = null);
}

/// <summary>Who an organization is. RegionCode is set for service centers only.</summary>
[GenerateSerializer, Immutable, Alias("tt.OrganizationProfile")]
public sealed record OrganizationProfile(string Name, OrganizationKind Kind, string Province, string? RegionCode = null);

[GenerateSerializer, Immutable, Alias("tt.OrganizationView")]
public sealed record OrganizationView(
    string Id, string Name, string Kind, string Province, string? RegionCode, string[] Members, DateTimeOffset CreatedAt,
    bool Verified = false, OrganizationApplication? Application = null);
