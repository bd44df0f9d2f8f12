using TechTransfer.Listings;
using TechTransfer.Vocabulary;

namespace TechTransfer.Achievements;

/// <summary>Stored as JSON in OrleansStorage under state name "achievement".</summary>
[GenerateSerializer, Alias("tt.AchievementState")]
public sealed class AchievementState : ListingState<AchievementContent, AchievementStatus>;
