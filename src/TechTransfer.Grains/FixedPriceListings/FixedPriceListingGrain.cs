using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Deals;
using TechTransfer.Notifications;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Storage;
using TechTransfer.Trades;
using TechTransfer.Vocabulary;

namespace TechTransfer.FixedPriceListings;

/// <summary>
/// The single writer of one 挂牌. The acceptance is written before it is acknowledged; then the deal is opened and
/// the watchers, the buyer and the seller are told (each step idempotent, finished on the next activation after a crash).
/// </summary>
public sealed class FixedPriceListingGrain(
    [PersistentState("fixed-price-listing")] IPersistentState<FixedPriceListingState> state,
    TradeProjection hall,
    Notifier notifier,
    RegionDirectory regions,
    TimeProvider clock) : Grain, IFixedPriceListingGrain
{
    const string Kind = "FixedPriceListing";

    FixedPriceListingState S => state.State;

    FixedPriceTerms T => S.Terms!;

    string Id => this.GetPrimaryKeyString();

    bool creating;

    public override async Task OnActivateAsync(CancellationToken cancellation)
    {
        if (!state.RecordExists) return;
        // A write that failed after the state was stored left the hall row behind and dropped the activation
        // (GrainWrites): repaired here; when the row is current the statement writes nothing.
        await hall.WriteAsync(Row(), cancellation);
        if (S.AcceptedAt is not null && !S.Announced) await AnnounceAsync();
    }

    public async Task<FixedPriceListingView> CreateAsync(Actor actor, FixedPriceTerms terms)
    {
        if (state.RecordExists) throw new ProblemException(ProblemCodes.AlreadyExists);
        if (terms.EndsAt <= clock.GetUtcNow() || terms.StartsAt >= terms.EndsAt)
            throw ProblemException.Invalid([new FieldError("endsAt", "in-past")]);
        creating = true; // the achievement may ask whether this trade is open before its state exists
        try
        {
            var achievement = await GrainFactory.GetGrain<IAchievementGrain>(terms.AchievementId).OpenTradeAsync(actor, Id);
            S.Terms = terms;
            S.Title = achievement.Title;
            S.TechField = achievement.TechField;
            S.Region = achievement.RegionCode;
            S.SellerOrganizationId = actor.OrganizationId;
            S.CreatedBy = actor.AccountId;
            S.CreatedAt = clock.GetUtcNow();
            S.Version = 1;
            await this.WriteStateThenAsync(state, () => hall.WriteAsync(Row()));
            return View(actor);
        }
        finally
        {
            creating = false;
        }
    }

    public Task<FixedPriceListingView?> GetAsync(Actor viewer) => Task.FromResult(state.RecordExists ? View(viewer) : null);

    public async Task<FixedPriceListingView> AcceptAsync(Actor actor)
    {
        if (!state.RecordExists) throw new ProblemException(ProblemCodes.NotFound);
        if (S.BuyerAccount == actor.AccountId) return View(actor); // a retry of the winning acceptance
        await TradeParties.RequireVerifiedBuyerAsync(GrainFactory, actor, S.SellerOrganizationId);
        var now = clock.GetUtcNow();
        if (now < T.StartsAt) throw new ProblemException(ProblemCodes.TradeNotOpen);
        if (S.AcceptedAt is not null || S.WithdrawnAt is not null || now >= T.EndsAt) throw new ProblemException(ProblemCodes.TradeClosed);
        if (!await OnMarketAsync())
        {
            await EndForWithdrawalAsync(); // the achievement's own call to end it failed or is still on its way
            throw new ProblemException(ProblemCodes.TradeClosed);
        }
        S.AcceptedAt = now;
        S.BuyerAccount = actor.AccountId;
        S.BuyerOrganizationId = actor.OrganizationId;
        S.Version++;
        await this.WriteStateThenAsync(state, () => hall.WriteAsync(Row()));
        await AnnounceAsync();
        return View(actor);
    }

    public Task<bool> IsOpenAsync() =>
        Task.FromResult(creating || (state.RecordExists && S.AcceptedAt is null && S.WithdrawnAt is null && clock.GetUtcNow() < T.EndsAt));

    public async Task EndForWithdrawalAsync()
    {
        if (!state.RecordExists || S.AcceptedAt is not null || S.WithdrawnAt is not null || clock.GetUtcNow() >= T.EndsAt) return;
        if (await OnMarketAsync()) return; // only the achievement leaving the market ends an offer early
        var now = clock.GetUtcNow();
        S.WithdrawnAt = now;
        S.Version++;
        await this.WriteStateThenAsync(state, () => hall.WriteAsync(Row()));
        await notifier.TradeFeedAsync(new TradeFeed(Id, Kind, "Withdrawn", "withdrawn", 1, null, null, 0, now, T.EndsAt));
    }

    Task<bool> OnMarketAsync() => GrainFactory.GetGrain<IAchievementGrain>(T.AchievementId).IsOnMarketForAsync(Id);

    async Task AnnounceAsync()
    {
        await GrainFactory.GetGrain<IDealGrain>(Id).OpenFromTradeAsync(await TradeParties.DealFactsAsync(GrainFactory, regions, "挂牌",
            T.AchievementId, S.Title, S.SellerOrganizationId, "", null, S.BuyerOrganizationId!, S.TechField));
        var at = S.AcceptedAt!.Value;
        await notifier.TradeFeedAsync(new TradeFeed(Id, Kind, "Accepted", "accepted", 1, T.Price, null, 1, at, T.EndsAt));
        await notifier.TradeNoticeAsync(new TradeNotice(Id, Kind, S.Title, "Accepted", T.Price, Id, at), [S.BuyerAccount!]);
        await notifier.TradeNoticeAsync(new TradeNotice(Id, Kind, S.Title, "Sold", T.Price, Id, at), [], S.SellerOrganizationId);
        S.Announced = true;
        await this.WriteStateThenAsync(state);
    }

    string Status => S.AcceptedAt is not null ? "Accepted"
        : S.WithdrawnAt is not null ? "Withdrawn"
        : clock.GetUtcNow() >= T.EndsAt ? "Expired"
        : clock.GetUtcNow() < T.StartsAt ? "Scheduled" : "Open";

    TradeRow Row() => new(Id, Kind, S.Title, T.AchievementId, S.SellerOrganizationId, S.Region,
        S.AcceptedAt is not null ? "Accepted" : S.WithdrawnAt is not null ? "Withdrawn" : "Open",
        T.Price, S.AcceptedAt is null ? 0 : 1, T.StartsAt, T.EndsAt, S.Version);

    FixedPriceListingView View(Actor viewer)
    {
        var isSeller = viewer.OrganizationId == S.SellerOrganizationId;
        var isBuyer = S.BuyerOrganizationId is not null && viewer.OrganizationId == S.BuyerOrganizationId;
        var party = isSeller || isBuyer || viewer.IsNationalAdmin;
        return new FixedPriceListingView(Id, T.AchievementId, S.Title, S.TechField, S.SellerOrganizationId, Status, T.Price, T.StartsAt, T.EndsAt,
            S.AcceptedAt, party ? S.BuyerOrganizationId : null, party && S.AcceptedAt is not null ? Id : null, isSeller, isBuyer, T.Description);
    }
}
