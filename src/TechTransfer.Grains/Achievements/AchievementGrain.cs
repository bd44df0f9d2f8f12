using TechTransfer.Accounts;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Trades;
using TechTransfer.Vocabulary;

namespace TechTransfer.Achievements;

public sealed class AchievementGrain(
    [PersistentState("achievement")] IPersistentState<AchievementState> state,
    ListingProjection projection,
    RegionDirectory regions,
    ListingMatcher matcher,
    Subscriptions.SubscriptionMatcher subscriptions,
    TimeProvider clock)
    : ListingGrain<AchievementState, AchievementContent, AchievementStatus, AchievementView>(state, projection, regions, matcher, subscriptions, clock),
      IAchievementGrain
{
    protected override ListingKind Kind => ListingKind.Achievement;
    protected override AchievementStatus Published => AchievementStatus.Published;
    protected override AchievementStatus Expired => AchievementStatus.Expired;
    protected override AchievementStatus Archived => AchievementStatus.Archived;
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

    public async Task<AchievementView> WithdrawAsync(Actor actor)
    {
        var view = await TakeOffMarketAsync(actor, AchievementStatus.Withdrawn);
        // After the state write, so a trade that asks meanwhile already finds the achievement off the market.
        if (S.OpenTradeId is { } trade) await AchievementTrades.Of(GrainFactory, trade).EndForWithdrawalAsync();
        return view;
    }

    public async Task<AchievementView> OpenTradeAsync(Actor actor, string tradeId)
    {
        var view = await GetAsync(actor) ?? throw new ProblemException(ProblemCodes.NotFound);
        if (S.OwnerOrganizationId != actor.OrganizationId) throw new ProblemException(ProblemCodes.Forbidden);
        if (S.Status != AchievementStatus.Published) throw new ProblemException(ProblemCodes.InvalidTransition);
        if (S.OpenTradeId is { } open && open != tradeId && await AchievementTrades.Of(GrainFactory, open).IsOpenAsync())
            throw new ProblemException(ProblemCodes.AchievementInTrade, [new FieldError("achievementId", "in-open-trade", open)]);
        if (S.OpenTradeId != tradeId)
        {
            S.OpenTradeId = tradeId;
            await WriteBookkeepingAsync();
        }
        return view;
    }

    // An achievement published before trades were recorded has none: its (older) trade may still sell until a new one is opened.
    // Expiry stops new trades only: the trade that was open when it expired still sells.
    public Task<bool> IsOnMarketForAsync(string tradeId) =>
        Task.FromResult(Exists && (S.Status == AchievementStatus.Published && (S.OpenTradeId ?? tradeId) == tradeId
            || S.Status == AchievementStatus.Expired && S.OpenTradeId == tradeId));

    protected override AchievementView ToView(Actor? viewer)
    {
        var c = S.Content!;
        return new AchievementView(Id, S.OwnerOrganizationId, S.Status.ToString(), c.Title, c.Summary, c.Keywords,
            c.TechField.ToString(), c.Trl, [.. c.TransferModes.Select(m => m.ToString())], c.AskingPrice, c.Province, RegionCode,
            c.IpRights, ContactFor(viewer), S.CreatedAt, S.UpdatedAt, S.PublishedAt, S.Version, ExpiresAt, S.Renewed,
            AchievementCompleteness.Of(c));
    }

    protected override ListingRow ToRow()
    {
        var c = S.Content!;
        return new ListingRow(Id, Kind, S.OwnerOrganizationId, S.Status.ToString(), c.Title, c.Province, RegionCode,
            c.TechField.ToString(), c.Trl, c.AskingPrice, S.UpdatedAt, S.Version, S.ExternalId, ToView(viewer: null));
    }
}
