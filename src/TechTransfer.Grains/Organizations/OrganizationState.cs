namespace TechTransfer.Organizations;

/// <summary>Stored under state name "organization".</summary>
[GenerateSerializer, Alias("tt.OrganizationState")]
public sealed class OrganizationState
{
    [Id(0)] public OrganizationProfile? Profile { get; set; }
    [Id(1)] public List<string> Members { get; set; } = [];
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public bool Verified { get; set; }
}
