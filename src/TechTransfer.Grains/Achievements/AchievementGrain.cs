using TechTransfer.Accounts;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.RegionalCenters;
using TechTransfer.Vocabulary;

namespace TechTransfer.Achievements;

public sealed class AchievementGrain(
    [PersistentState("achievement")] IPersistentState<AchievementState> state,
    ListingProjection projection,
    RegionDirectory regions,
    ListingMatcher matcher,
    TimeProvider clock)
    : ListingGrain<AchievementState, AchievementContent, AchievementStatus, AchievementView>(state, projection, regions, matcher, clock),
      IAchievementGrain
{
    protected override ListingKind Kind => ListingKind.Achievement;
    protected override AchievementStatus Published => AchievementStatus.Published;
    protected override AchievementStatus Final => AchievementStatus.Transferred;
    protected override bool MayPost(Actor actor) => actor.MayPostAchievements;

    public async Task<SyncOutcome> SyncFromCatalogueAsync(Actor actor, AchievementContent content, string externalId)
    {
        if (!Exists)
        {
            S.ExternalId = externalId;
            await CreateAsync(actor, content);
            return SyncOutcome.Created;
        }
        EnsureMayEdit(actor);
        if (ListingRules.SameContent(S.Content, content)) return SyncOutcome.Unchanged;
        await UpdateAsync(actor, content, S.Version);
        return SyncOutcome.Updated;
    }

    public Task<AchievementView> WithdrawAsync(Actor actor) => TakeOffMarketAsync(actor, AchievementStatus.Withdrawn);

    protected override AchievementView ToView(Actor? viewer)
    {
        var c = S.Content!;
        return new AchievementView(Id, S.OwnerOrganizationId, S.Status.ToString(), c.Title, c.Summary, c.Keywords,
            c.TechField.ToString(), c.Trl, [.. c.TransferModes.Select(m => m.ToString())], c.AskingPrice, c.Province, RegionCode,
            c.IpRights, ContactFor(viewer), S.CreatedAt, S.UpdatedAt, S.PublishedAt, S.Version);
    }

    protected override ListingRow ToRow()
    {
        var c = S.Content!;
        return new ListingRow(Id, Kind, S.OwnerOrganizationId, S.Status.ToString(), c.Title, c.Province, RegionCode,
            c.TechField.ToString(), c.Trl, c.AskingPrice, S.UpdatedAt, S.Version, S.ExternalId, ToView(viewer: null));
    }
}
