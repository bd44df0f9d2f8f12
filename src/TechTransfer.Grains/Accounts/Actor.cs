using TechTransfer.Vocabulary;

namespace TechTransfer.Accounts;

/// <summary>Who is asking: the signed-in account, its organization and role, as the server established them.</summary>
[GenerateSerializer, Immutable, Alias("tt.Actor")]
public sealed record Actor(
    string AccountId, string OrganizationId, OrganizationKind OrganizationKind, Role Role, string? RegionCode = null)
{
    public bool IsNationalAdmin => Role == Role.NationalAdmin;

    /// <summary>Members and admins of the owning organization may change its listings; so may national admins.</summary>
    public bool MayEditListingsOf(string organizationId) => IsNationalAdmin || OrganizationId == organizationId;

    /// <summary>Universities, institutes and enterprises own achievements; brokers and the national level do not post them.</summary>
    public bool MayPostAchievements => OrganizationKind is OrganizationKind.University or OrganizationKind.Institute or OrganizationKind.Enterprise;

    /// <summary>Technology needs are posted by enterprises.</summary>
    public bool MayPostDemands => OrganizationKind == OrganizationKind.Enterprise;
}
