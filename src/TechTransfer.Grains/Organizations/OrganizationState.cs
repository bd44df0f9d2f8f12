namespace TechTransfer.Organizations;

/// <summary>Stored under state name "organization".</summary>
[GenerateSerializer, Alias("tt.OrganizationState")]
public sealed class OrganizationState
{
    [Id(0)] public OrganizationProfile? Profile { get; set; }
    [Id(1)] public List<string> Members { get; set; } = [];
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public bool Verified { get; set; }

    /// <summary>Set when the organization applied to join (<see cref="OrganizationApplication"/>); null when registered.</summary>
    [Id(4)] public OrganizationApplication? Application { get; set; }

    /// <summary>Raised by every write; guards the tt_organization projection.</summary>
    [Id(5)] public int Version { get; set; }
}
