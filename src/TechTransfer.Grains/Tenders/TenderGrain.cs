using Microsoft.Extensions.Options;
using TechTransfer.Accounts;
using TechTransfer.Auctions;
using TechTransfer.Deals;
using TechTransfer.Demands;
using TechTransfer.Notifications;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Storage;
using TechTransfer.Trades;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tenders;

/// <summary>
/// The single writer of one tender. Secrecy is structural: the sealed bids are only in this grain's state, every
/// view built before the opening leaves them out, and the feed and notices carry counts, never contents. The
/// opening happens at the deadline by a grain timer, with an Orleans reminder as the durable backstop.
/// </summary>
public sealed class TenderGrain(
    [PersistentState("tender")] IPersistentState<TenderState> state,
    TradeProjection hall,
    Notifier notifier,
    RegionDirectory regions,
    IOptions<AuctionOptions> options, // the same reminder period as auctions
    TimeProvider clock) : Grain, ITenderGrain, IRemindable
{
    const string OpenReminder = "open";
    const string Kind = "Tender";

    IGrainTimer? openTimer;

    TenderState S => state.State;

    TenderTerms T => S.Terms!;

    string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellation)
    {
        if (!state.RecordExists) return;
        // A write that failed after the state was stored left the hall row behind and dropped the activation
        // (GrainWrites): repaired here; when the row is current the statement writes nothing.
        await hall.WriteAsync(Row(), cancellation);
        if (S.Status == TenderStatus.Open) ArmTimer();
        else if (!S.Announced) await AnnounceAsync();
    }

    public async Task<TenderView> CreateAsync(Actor actor, TenderTerms terms)
    {
        if (state.RecordExists) throw new ProblemException(ProblemCodes.AlreadyExists);
        if (!actor.MayPostDemands) throw new ProblemException(ProblemCodes.Forbidden);
        var demand = await GrainFactory.GetGrain<IDemandGrain>(terms.DemandId).GetAsync(actor) ?? throw new ProblemException(ProblemCodes.NotFound);
        if (demand.OwnerOrganizationId != actor.OrganizationId) throw new ProblemException(ProblemCodes.Forbidden);
        if (demand.Status != nameof(DemandStatus.Published)) throw new ProblemException(ProblemCodes.InvalidTransition);
        S.Terms = terms;
        S.Title = demand.Title;
        S.TechField = demand.TechField;
        S.Region = demand.RegionCode;
        S.EnterpriseOrganizationId = actor.OrganizationId;
        S.CreatedAt = clock.GetUtcNow();
        S.Version = 1;
        // The backstop first: should a write below fail, a reminder finding no tender just stops.
        await EnsureReminderAsync(terms.Deadline);
        await this.WriteStateThenAsync(state, () => hall.WriteAsync(Row()));
        ArmTimer();
        return View(actor);
    }

    public async Task<TenderView?> GetAsync(Actor viewer)
    {
        if (!state.RecordExists) return null;
        if (S.Status == TenderStatus.Open && clock.GetUtcNow() >= T.Deadline) await OpenBidsAsync();
        return View(viewer);
    }

    public async Task<TenderReceipt> SubmitAsync(Actor actor, string clientBidId, SealedBid bid)
    {
        if (!state.RecordExists) throw new ProblemException(ProblemCodes.NotFound);
        if (actor.OrganizationKind is not (OrganizationKind.University or OrganizationKind.Institute)) throw new ProblemException(ProblemCodes.Forbidden);
        await Organizations.Admission.RequireAdmittedAsync(GrainFactory, actor.OrganizationId);
        if (S.Bids.FirstOrDefault(b => b.OrganizationId == actor.OrganizationId) is { } earlier)
        {
            if (earlier.ClientBidId != clientBidId) throw new ProblemException(ProblemCodes.AlreadyExists);
            await hall.WriteAsync(Row()); // the retry of a bid whose hall write failed: repaired (a replay changes nothing)
            return Receipt(earlier); // only ever for a bid read back from storage or written by this activation
        }
        var now = clock.GetUtcNow();
        if (S.Status != TenderStatus.Open || now >= T.Deadline)
        {
            if (S.Status == TenderStatus.Open) await OpenBidsAsync();
            throw new ProblemException(ProblemCodes.TradeClosed);
        }
        var entry = new TenderBidEntry(S.Bids.Count + 1, clientBidId, actor.AccountId, actor.OrganizationId, bid, now);
        S.Bids.Add(entry);
        S.Version++;
        // A receipt is a promise that the bid is stored: none when the write failed, and the bid leaves memory at once.
        await this.WriteStateThenAsync(state, () => hall.WriteAsync(Row()), rollback: () =>
        {
            S.Bids.Remove(entry);
            S.Version--;
        });
        await notifier.TradeFeedAsync(new TradeFeed(Id, Kind, "Open", "bidCount", S.Version, null, null, S.Bids.Count, now, T.Deadline));
        return Receipt(entry);
    }

    public async Task<TenderView> AwardAsync(Actor actor, int bidNumber)
    {
        if (!state.RecordExists) throw new ProblemException(ProblemCodes.NotFound);
        if (actor.OrganizationId != S.EnterpriseOrganizationId) throw new ProblemException(ProblemCodes.Forbidden);
        if (S.Status == TenderStatus.Open && clock.GetUtcNow() >= T.Deadline) await OpenBidsAsync();
        if (S.Status == TenderStatus.Awarded && S.AwardedBidNumber == bidNumber) return View(actor); // a retry
        if (S.Status != TenderStatus.Opened) throw new ProblemException(ProblemCodes.InvalidTransition);
        if (S.Bids.All(b => b.Number != bidNumber)) throw ProblemException.Invalid([new FieldError("bidId", "unknown-value", bidNumber.ToString())]);
        S.Status = TenderStatus.Awarded;
        S.AwardedBidNumber = bidNumber;
        S.Announced = false;
        S.Version++;
        await this.WriteStateThenAsync(state, () => hall.WriteAsync(Row()));
        await AnnounceAsync();
        return View(actor);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != OpenReminder) return;
        if (state.RecordExists && S.Status == TenderStatus.Open)
        {
            if (clock.GetUtcNow() < T.Deadline)
            {
                // Early: the deadline lies beyond the horizon. Both are armed again for the deadline (or the next hop).
                ArmTimer();
                await EnsureReminderAsync(T.Deadline);
                return;
            }
            await OpenBidsAsync();
        }
        if (await this.GetReminder(OpenReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>开标: all bids become readable together, at the deadline.</summary>
    async Task OpenBidsAsync()
    {
        if (S.Status != TenderStatus.Open) return;
        openTimer?.Dispose();
        S.Status = TenderStatus.Opened;
        S.OpenedAt = T.Deadline;
        S.Announced = false;
        S.Version++;
        await this.WriteStateThenAsync(state, () => hall.WriteAsync(Row()));
        await AnnounceAsync();
    }

    /// <summary>Tells everyone about the last change (opening or award); each step idempotent.</summary>
    async Task AnnounceAsync()
    {
        var bidders = S.Bids.Select(b => b.Account).ToArray();
        if (S.Status == TenderStatus.Opened)
        {
            var at = S.OpenedAt!.Value;
            await notifier.TradeFeedAsync(new TradeFeed(Id, Kind, "Opened", "opened", S.Version, null, null, S.Bids.Count, at, T.Deadline));
            await notifier.TradeNoticeAsync(new TradeNotice(Id, Kind, S.Title, "Opened", null, null, at), bidders, S.EnterpriseOrganizationId);
        }
        else if (S.Status == TenderStatus.Awarded)
        {
            var winner = S.Bids.Single(b => b.Number == S.AwardedBidNumber);
            await GrainFactory.GetGrain<IDealGrain>(Id).OpenFromTradeAsync(await TradeParties.DealFactsAsync(GrainFactory, regions, "招标",
                "", "", winner.OrganizationId, T.DemandId, S.Title, S.EnterpriseOrganizationId, S.TechField));
            var at = clock.GetUtcNow();
            await notifier.TradeFeedAsync(new TradeFeed(Id, Kind, "Awarded", "awarded", S.Version, null, null, S.Bids.Count, at, T.Deadline));
            await notifier.TradeNoticeAsync(new TradeNotice(Id, Kind, S.Title, "Awarded", winner.Bid.Price, Id, at), [winner.Account]);
            var others = bidders.Where(a => a != winner.Account).ToArray();
            if (others.Length > 0) await notifier.TradeNoticeAsync(new TradeNotice(Id, Kind, S.Title, "NotAwarded", null, null, at), others);
        }
        S.Announced = true;
        await this.WriteStateThenAsync(state);
    }

    void ArmTimer()
    {
        openTimer?.Dispose();
        openTimer = this.RegisterGrainTimer(async () =>
        {
            if (S.Status != TenderStatus.Open) return;
            if (clock.GetUtcNow() >= T.Deadline) await OpenBidsAsync();
            else ArmTimer(); // woke early: a little, or at the horizon of a far deadline
        }, new GrainTimerCreationOptions(TradeTimers.DueIn(T.Deadline, clock.GetUtcNow(), options.Value.ReminderHorizon), Timeout.InfiniteTimeSpan));
    }

    /// <summary>Due at the deadline, or at the horizon if the deadline lies beyond it; then every ReminderPeriod until opened.</summary>
    Task EnsureReminderAsync(DateTimeOffset deadline) =>
        this.RegisterOrUpdateReminder(OpenReminder, TradeTimers.DueIn(deadline, clock.GetUtcNow(), options.Value.ReminderHorizon),
            options.Value.ReminderPeriod);

    TenderReceipt Receipt(TenderBidEntry entry) => new(Id, entry.Number, entry.ClientBidId, entry.SubmittedAt);

    // The hall shows the count only, and no price, whatever the status.
    TradeRow Row() => new(Id, Kind, S.Title, T.DemandId, S.EnterpriseOrganizationId, S.Region, S.Status.ToString(), null, S.Bids.Count,
        S.CreatedAt, T.Deadline, S.Version);

    TenderView View(Actor viewer)
    {
        var isOwner = viewer.OrganizationId == S.EnterpriseOrganizationId;
        var own = S.Bids.FirstOrDefault(b => b.OrganizationId == viewer.OrganizationId);
        TenderBidView[]? bids = null;
        if (S.Status != TenderStatus.Open) // opened: the enterprise, the national level and its center's brokers see all; a bidder its own
        {
            var all = isOwner || viewer.IsNationalAdmin || (viewer.Role is Role.Broker or Role.CenterAdmin && viewer.RegionCode == S.Region);
            bids = [.. S.Bids.Where(b => all || b == own)
                .Select(b => new TenderBidView(b.Number, b.OrganizationId, b.Bid, b.SubmittedAt, b.Number == S.AwardedBidNumber))];
        }
        var party = isOwner || viewer.IsNationalAdmin || (own is not null && own.Number == S.AwardedBidNumber);
        return new TenderView(Id, T.DemandId, S.Title, S.TechField, S.EnterpriseOrganizationId, S.Status.ToString(), T.Deadline, T.Criteria,
            S.Bids.Count, bids, own is null ? null : Receipt(own), S.OpenedAt, S.AwardedBidNumber,
            party && S.Status == TenderStatus.Awarded ? Id : null, isOwner, T.Description);
    }
}
