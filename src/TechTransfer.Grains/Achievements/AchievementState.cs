using TechTransfer.Vocabulary;

namespace TechTransfer.Achievements;

/// <summary>Stored as JSON in OrleansStorage under state name "achievement"; property names are the stored contract.</summary>
[GenerateSerializer, Alias("tt.AchievementState")]
public sealed class AchievementState
{
    [Id(0)] public AchievementContent? Content { get; set; }
    [Id(1)] public string OwnerOrganizationId { get; set; } = "";
    [Id(2)] public string CreatedBy { get; set; } = "";
    [Id(3)] public AchievementStatus Status { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(6)] public DateTimeOffset? PublishedAt { get; set; }
    [Id(7)] public int Version { get; set; }
    [Id(8)] public string? ExternalId { get; set; }
}
