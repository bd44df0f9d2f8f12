using Microsoft.Extensions.Options;
using Npgsql;
using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Deals;
using TechTransfer.Notifications;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Storage;
using TechTransfer.Trades;
using TechTransfer.Vocabulary;

namespace TechTransfer.Auctions;

/// <summary>
/// The single writer of one auction. Bids are handled one at a time, so "the highest valid bid wins" needs no lock:
/// each bid is checked against the bids before it, logged (tt_auction_bid), then acknowledged and announced.
/// The end is kept by an exact grain timer while the auction is active and by an Orleans reminder as the durable
/// backstop: if the hosting silo dies, the reminder (or the next bid) activates the auction elsewhere, it reloads
/// its bids from the log and ends on time.
/// </summary>
public sealed class AuctionGrain(
    [PersistentState("auction")] IPersistentState<AuctionState> state,
    AuctionBidLog log,
    TradeProjection hall,
    Notifier notifier,
    RegionDirectory regions,
    IOptions<AuctionOptions> options,
    TimeProvider clock) : Grain, IAuctionGrain, IRemindable
{
    const string EndReminder = "end";
    const string Kind = "Auction";

    readonly List<AuctionBidRow> bids = [];
    readonly Dictionary<(string Account, string ClientBidId), AuctionBidRow> byClientId = [];
    readonly Dictionary<string, int> bidderNumbers = []; // by organization: "竞买人 n"
    DateTimeOffset endsAt;
    IGrainTimer? endTimer;
    bool creating;

    AuctionState S => state.State;

    AuctionTerms T => S.Terms!;

    string Id => this.GetPrimaryKeyString();

    int HallVersion => S.Version + bids.Count; // grows with every bid and every state change

    public override async Task OnActivateAsync(CancellationToken cancellation)
    {
        if (!state.RecordExists) return;
        await LoadBidsAsync(cancellation);
        // A write that failed after the state was stored left the hall row behind and dropped the activation
        // (GrainWrites): repaired here; when the row is current the statement writes nothing.
        await hall.WriteAsync(Row(), cancellation);
        if (S.Status == AuctionStatus.Open) ArmTimer();
    }

    async Task LoadBidsAsync(CancellationToken cancellation = default)
    {
        bids.Clear();
        byClientId.Clear();
        bidderNumbers.Clear();
        endsAt = T.EndsAt;
        foreach (var bid in await log.ReadAsync(Id, cancellation)) Apply(bid);
    }

    void Apply(AuctionBidRow bid)
    {
        bids.Add(bid);
        byClientId[(bid.BidderAccount, bid.ClientBidId)] = bid;
        bidderNumbers.TryAdd(bid.BidderOrganizationId, bidderNumbers.Count + 1);
        endsAt = bid.EndsAt;
    }

    public async Task<AuctionView> CreateAsync(Actor actor, AuctionTerms terms)
    {
        if (state.RecordExists) throw new ProblemException(ProblemCodes.AlreadyExists);
        terms = terms with { StartsAt = Millis(terms.StartsAt), EndsAt = Millis(terms.EndsAt) };
        if (terms.EndsAt <= clock.GetUtcNow() || terms.StartsAt >= terms.EndsAt)
            throw ProblemException.Invalid([new FieldError("endsAt", "in-past")]);
        creating = true; // the achievement may ask whether this trade is open before its state exists
        try
        {
            var achievement = await GrainFactory.GetGrain<IAchievementGrain>(terms.AchievementId).OpenTradeAsync(actor, Id);
            endsAt = terms.EndsAt;
            // The backstop first: should a write below fail, a reminder finding no auction just stops.
            await EnsureReminderAsync();
            S.Terms = terms;
            S.Title = achievement.Title;
            S.TechField = achievement.TechField;
            S.Region = achievement.RegionCode;
            S.SellerOrganizationId = actor.OrganizationId;
            S.CreatedBy = actor.AccountId;
            S.CreatedAt = clock.GetUtcNow();
            S.Status = AuctionStatus.Open;
            S.Version = 1;
            await this.WriteStateThenAsync(state, () => hall.WriteAsync(Row()));
            ArmTimer();
            return View(actor);
        }
        finally
        {
            creating = false;
        }
    }

    public async Task<AuctionView?> GetAsync(Actor viewer)
    {
        if (!state.RecordExists) return null;
        if (S.Status == AuctionStatus.Open && clock.GetUtcNow() >= endsAt) await EndAsync(); // due: end it before answering
        return View(viewer);
    }

    public async Task<BidReceipt> BidAsync(Actor actor, string clientBidId, decimal amount)
    {
        if (!state.RecordExists) throw new ProblemException(ProblemCodes.NotFound);
        if (byClientId.TryGetValue((actor.AccountId, clientBidId), out var earlier)) return Receipt(earlier); // a retry
        await TradeParties.RequireVerifiedBuyerAsync(GrainFactory, actor, S.SellerOrganizationId);
        var now = Millis(clock.GetUtcNow());
        if (now < T.StartsAt) throw new ProblemException(ProblemCodes.TradeNotOpen);
        if (S.Status != AuctionStatus.Open || now >= endsAt)
        {
            await EndAsync();
            throw new ProblemException(ProblemCodes.TradeClosed);
        }
        if (amount < NextMinimum) throw new ProblemException(ProblemCodes.BidTooLow);
        if (!await OnMarketAsync())
        {
            await EndAsync(withdrawn: true); // the achievement's own call to end it failed or is still on its way
            throw new ProblemException(ProblemCodes.TradeClosed);
        }

        // Soft close: a bid in the last window moves the end on by the extension.
        var o = options.Value;
        var extended = endsAt - now <= o.SoftCloseWindow;
        var bid = new AuctionBidRow(bids.Count + 1, clientBidId, actor.AccountId, actor.OrganizationId, amount, now,
            extended ? endsAt + o.SoftCloseExtension : endsAt);
        try
        {
            await log.AppendAsync(Id, bid, HallVersion + 1);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another activation logged bids meanwhile (a silo declared dead while still running): take up the log
            // and decide again, as if this bid had arrived after those.
            await LoadBidsAsync();
            return await BidAsync(actor, clientBidId, amount);
        }
        var previous = bids.Count > 0 ? bids[^1] : null;
        Apply(bid);
        if (extended)
        {
            ArmTimer();
            await EnsureReminderAsync();
        }

        await notifier.TradeFeedAsync(new TradeFeed(Id, Kind, nameof(AuctionStatus.Open), extended ? "extended" : "bid", bid.Sequence, amount,
            Label(actor.OrganizationId), bids.Count, now, endsAt));
        if (previous is not null && previous.BidderAccount != actor.AccountId)
            await notifier.TradeNoticeAsync(new TradeNotice(Id, Kind, S.Title, "Outbid", amount, null, now), [previous.BidderAccount]);
        return Receipt(bid);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != EndReminder) return;
        if (!state.RecordExists || S.Announced)
        {
            await StopReminderAsync();
            return;
        }
        if (S.Status == AuctionStatus.Open && clock.GetUtcNow() < endsAt)
        {
            // Early: the end moved, or it lies beyond the horizon. Both are armed again for the end (or the next hop).
            ArmTimer();
            await EnsureReminderAsync();
            return;
        }
        await EndAsync();
    }

    public Task<bool> IsOpenAsync() => Task.FromResult(creating || (state.RecordExists && S.Status == AuctionStatus.Open));

    public async Task EndForWithdrawalAsync()
    {
        if (!state.RecordExists || S.Status != AuctionStatus.Open || await OnMarketAsync()) return; // only its achievement leaving ends it early
        await EndAsync(withdrawn: true);
    }

    Task<bool> OnMarketAsync() => GrainFactory.GetGrain<IAchievementGrain>(T.AchievementId).IsOnMarketForAsync(Id);

    /// <summary>Instants in whole milliseconds: what PostgreSQL stores is what a reactivated auction reads back, to the tick.</summary>
    static DateTimeOffset Millis(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    decimal NextMinimum => bids.Count == 0 ? T.StartingPrice : bids[^1].Amount + T.MinIncrement;

    string Label(string organizationId) => $"竞买人 {bidderNumbers.GetValueOrDefault(organizationId)}";

    /// <summary>
    /// Ends the auction at its scheduled end: sold to the highest bid if it meets the reserve and the achievement is
    /// still on the market, else unsold; or now, when the achievement was withdrawn.
    /// </summary>
    async Task EndAsync(bool withdrawn = false)
    {
        if (S.Status == AuctionStatus.Open)
        {
            var high = bids.Count > 0 ? bids[^1] : null;
            var sold = !withdrawn && high is not null && high.Amount >= T.ReservePrice;
            if (sold && !await OnMarketAsync()) (sold, withdrawn) = (false, true);
            if (S.Status != AuctionStatus.Open) return; // ended meanwhile (the check above lets other turns in)
            S.Status = sold ? AuctionStatus.Sold : withdrawn ? AuctionStatus.Withdrawn : AuctionStatus.Unsold;
            S.EndedAt = withdrawn ? Millis(clock.GetUtcNow()) : endsAt;
            if (sold)
            {
                S.WinnerAccount = high!.BidderAccount;
                S.WinnerOrganizationId = high.BidderOrganizationId;
                S.WinningAmount = high.Amount;
                S.DealId = Id;
            }
            S.Version++;
            await this.WriteStateThenAsync(state, () => hall.WriteAsync(Row()));
        }
        await AnnounceAsync();
    }

    /// <summary>What follows the end, each step idempotent, so a crash halfway is finished by the next activation.</summary>
    async Task AnnounceAsync()
    {
        if (S.Announced) return;
        endTimer?.Dispose();
        var sold = S.Status == AuctionStatus.Sold;
        if (sold)
            await GrainFactory.GetGrain<IDealGrain>(Id).OpenFromTradeAsync(await TradeParties.DealFactsAsync(GrainFactory, regions, "拍卖",
                T.AchievementId, S.Title, S.SellerOrganizationId, "", null, S.WinnerOrganizationId!, S.TechField));
        var at = S.EndedAt!.Value;
        await notifier.TradeFeedAsync(new TradeFeed(Id, Kind, S.Status.ToString(), "ended", bids.Count + 1, S.WinningAmount,
            sold ? Label(S.WinnerOrganizationId!) : null, bids.Count, at, at));
        var losers = bids.Select(b => b.BidderAccount).Distinct().Where(a => a != S.WinnerAccount).ToArray();
        var withdrawn = S.Status == AuctionStatus.Withdrawn;
        if (sold) await notifier.TradeNoticeAsync(new TradeNotice(Id, Kind, S.Title, "Won", S.WinningAmount, S.DealId, at), [S.WinnerAccount!]);
        if (losers.Length > 0)
            await notifier.TradeNoticeAsync(new TradeNotice(Id, Kind, S.Title, withdrawn ? "Withdrawn" : "Lost", S.WinningAmount, null, at), losers);
        if (!withdrawn) // the seller withdrew it: nothing to tell them
            await notifier.TradeNoticeAsync(new TradeNotice(Id, Kind, S.Title, sold ? "Sold" : "Unsold", S.WinningAmount, S.DealId, at), [],
                S.SellerOrganizationId);
        S.Announced = true;
        await this.WriteStateThenAsync(state);
        await StopReminderAsync();
    }

    void ArmTimer()
    {
        endTimer?.Dispose();
        endTimer = this.RegisterGrainTimer(async () =>
        {
            if (S.Status != AuctionStatus.Open) return;
            if (clock.GetUtcNow() >= endsAt) await EndAsync();
            else ArmTimer(); // woke early: a little, or at the horizon of a far end
        }, new GrainTimerCreationOptions(TradeTimers.DueIn(endsAt, clock.GetUtcNow(), options.Value.ReminderHorizon), Timeout.InfiniteTimeSpan));
    }

    /// <summary>
    /// The reminder first fires at the (current) end, or at the horizon if the end lies beyond it (then it is armed
    /// again), then every ReminderPeriod until the auction is announced.
    /// </summary>
    async Task EnsureReminderAsync() =>
        await this.RegisterOrUpdateReminder(EndReminder, TradeTimers.DueIn(endsAt, clock.GetUtcNow(), options.Value.ReminderHorizon),
            options.Value.ReminderPeriod);

    async Task StopReminderAsync()
    {
        if (await this.GetReminder(EndReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    BidReceipt Receipt(AuctionBidRow bid) =>
        new(Id, bid.ClientBidId, bid.Sequence, bid.Amount, bid.At, bid.EndsAt, bid.Sequence > 1 ? bids[bid.Sequence - 2].EndsAt < bid.EndsAt : bid.EndsAt > T.EndsAt);

    TradeRow Row() => new(Id, Kind, S.Title, T.AchievementId, S.SellerOrganizationId, S.Region, S.Status.ToString(),
        bids.Count > 0 ? bids[^1].Amount : T.StartingPrice, bids.Count, T.StartsAt, endsAt, HallVersion);

    AuctionView View(Actor viewer)
    {
        var isSeller = viewer.OrganizationId == S.SellerOrganizationId;
        var insider = isSeller || viewer.IsNationalAdmin;
        var party = insider || (S.WinnerOrganizationId is not null && viewer.OrganizationId == S.WinnerOrganizationId);
        var status = S.Status == AuctionStatus.Open && clock.GetUtcNow() < T.StartsAt ? "Scheduled" : S.Status.ToString();
        var high = bids.Count > 0 ? bids[^1] : null;
        return new AuctionView(Id, T.AchievementId, S.Title, S.TechField, S.SellerOrganizationId, status, T.StartsAt, endsAt,
            T.StartingPrice, insider ? T.ReservePrice : null, high is not null && high.Amount >= T.ReservePrice, T.MinIncrement,
            T.DepositRequired, high?.Amount, NextMinimum,
            [.. bids.Select(b => new AuctionBidView(b.Sequence, Label(b.BidderOrganizationId), b.Amount, b.At, b.BidderAccount == viewer.AccountId))],
            S.EndedAt, party ? S.WinnerOrganizationId : null, S.WinningAmount, party ? S.DealId : null, isSeller,
            high is not null && high.BidderAccount == viewer.AccountId, T.Description);
    }
}
