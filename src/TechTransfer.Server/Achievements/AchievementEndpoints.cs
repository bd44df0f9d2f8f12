using TechTransfer.Listings;
using TechTransfer.Vocabulary;

namespace TechTransfer.Achievements;

public static class AchievementEndpoints
{
    static readonly ListingRoutes<AchievementInput, AchievementContent> Routes = new(
        "/api/achievements", ListingKind.Achievement, ListingIds.IsAchievement, ListingIds.NewAchievement,
        (input, _) => input.Validate(), ListingHttp.Status<AchievementStatus>);

    public static void MapAchievements(this IEndpointRouteBuilder app) =>
        app.MapListings<IAchievementGrain, AchievementInput, AchievementContent, AchievementView>(Routes, "Achievements")
            .MapListingAction<IAchievementGrain, AchievementView>("/{id}/withdraw", Routes.IsId, (grain, actor) => grain.WithdrawAsync(actor));
}
