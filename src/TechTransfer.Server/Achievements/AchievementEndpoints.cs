using TechTransfer.Listings;
using TechTransfer.Vocabulary;

namespace TechTransfer.Achievements;

public static class AchievementEndpoints
{
    static readonly ListingRoutes<AchievementInput, AchievementContent> Routes = new(
        "/api/achievements", ListingKind.Achievement, ListingIds.IsAchievement, ListingIds.NewAchievement,
        (input, _) => input.Validate(), ListingHttp.Status<AchievementStatus>);

    public static void MapAchievements(this IEndpointRouteBuilder app)
    {
        var group = app.MapListings<IAchievementGrain, AchievementInput, AchievementContent, AchievementView>(Routes, "Achievements");
        group.MapListingAction<IAchievementGrain, AchievementView>("/{id}/withdraw", Routes.IsId, (grain, actor) => grain.WithdrawAsync(actor));
        // The form asks while it is being filled in: what a buyer still needs to know, with a prompt for each (never refused
        // for what is missing: a draft is incomplete by nature).
        group.MapPost("/completeness", (AchievementInput input) => TypedResults.Ok(AchievementCompleteness.Of(input.Summary,
            input.IpRights?.Count(r => !string.IsNullOrWhiteSpace(r?.Number)) ?? 0, input.TransferModes?.Count(m => !string.IsNullOrWhiteSpace(m)) ?? 0, input.AskingPrice)))
            .RequireAuthorization();
    }
}
