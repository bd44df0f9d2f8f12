using TechTransfer.Vocabulary;

namespace TechTransfer.Demands;

/// <summary>Stored as JSON in OrleansStorage under state name "demand"; property names are the stored contract.</summary>
[GenerateSerializer, Alias("tt.DemandState")]
public sealed class DemandState
{
    [Id(0)] public DemandContent? Content { get; set; }
    [Id(1)] public string OwnerOrganizationId { get; set; } = "";
    [Id(2)] public string CreatedBy { get; set; } = "";
    [Id(3)] public DemandStatus Status { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(6)] public DateTimeOffset? PublishedAt { get; set; }
    [Id(7)] public int Version { get; set; }
}
