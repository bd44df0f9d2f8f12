using TechTransfer.Listings;
using TechTransfer.Vocabulary;

namespace TechTransfer.Achievements;

/// <summary>Stored as JSON in OrleansStorage under state name "achievement".</summary>
[GenerateSerializer, Alias("tt.AchievementState")]
public sealed class AchievementState : ListingState<AchievementContent, AchievementStatus>
{
    /// <summary>The trade (挂牌 or 拍卖) that last took the achievement to market; it is the one open trade while it is open.</summary>
    [Id(0)] public string? OpenTradeId { get; set; }
}
