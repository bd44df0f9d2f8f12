namespace TechTransfer.Evaluations;

/// <summary>Stored under state name "evaluation". Reviews and the summary, once there, never change.</summary>
[GenerateSerializer, Alias("tt.EvaluationState")]
public sealed class EvaluationState
{
    [Id(0)] public string? AchievementId { get; set; }
    [Id(1)] public string AchievementTitle { get; set; } = "";
    [Id(2)] public string OwnerOrganizationId { get; set; } = "";
    [Id(3)] public string Region { get; set; } = "";
    [Id(4)] public string StartedBy { get; set; } = "";
    [Id(5)] public DateTimeOffset StartedAt { get; set; }
    [Id(6)] public List<string> Reviewers { get; set; } = [];
    [Id(7)] public List<SignedReview> Reviews { get; set; } = [];
    [Id(8)] public EvaluationSummary? Summary { get; set; }
}
