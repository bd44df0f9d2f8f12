using Microsoft.Extensions.Options;
using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Contracts;
using TechTransfer.Demands;
using TechTransfer.Notifications;
using TechTransfer.Problems;
using TechTransfer.Storage;
using TechTransfer.Vocabulary;

namespace TechTransfer.Deals;

/// <summary>
/// The single writer of one deal. Being one grain is what makes "exactly one claim wins" true without locks:
/// claims are handled one at a time, and the first that finds the lead unclaimed takes it. Every change is
/// written (state, then tt_deal) before it is acknowledged or announced.
/// </summary>
public sealed class DealGrain(
    [PersistentState("deal")] IPersistentState<DealState> state,
    DealProjection projection,
    Notifier notifier,
    IOptions<DealOptions> options,
    TimeProvider clock) : Grain, IDealGrain, IRemindable
{
    const string StaleReminder = "stale";

    DealState S => state.State;

    string Id => this.GetPrimaryKeyString();

    bool Stale => S.StaleFlaggedAt is { } flagged && flagged >= S.LastActivityAt;

    static bool IsOpen(DealStage stage) => stage is not (DealStage.Registered or DealStage.Closed);

    public override async Task OnActivateAsync(CancellationToken cancellation)
    {
        // A write that failed after the state was stored left tt_deal behind and dropped the activation (GrainWrites):
        // repaired here. When tt_deal is current the statement writes nothing.
        if (state.RecordExists && S.Facts is not null) await projection.WriteAsync(Id, S, Stale, cancellation);
    }

    public async Task<DealView?> GetAsync(Actor viewer)
    {
        if (!await LoadAsync() || !MaySee(viewer)) return null;
        return await ViewAsync(viewer);
    }

    public async Task<DealView> SetInterestAsync(Actor actor, bool interested, string? note)
    {
        await RequireAsync(actor);
        var side = SideOf(actor) ?? throw new ProblemException(ProblemCodes.Forbidden); // brokers and national see deals, but only parties are interested
        var current = side == "achievement" ? S.AchievementInterest : S.DemandInterest;
        if (current == interested) return await ViewAsync(actor); // repeating is harmless
        if (S.Stage != DealStage.Matched) throw new ProblemException(ProblemCodes.InvalidTransition); // a lead's interest is settled

        if (side == "achievement") S.AchievementInterest = interested;
        else S.DemandInterest = interested;
        var action = interested ? $"interest:{side}" : $"withdraw-interest:{side}";
        if (S.AchievementInterest && S.DemandInterest)
        {
            S.Stage = DealStage.Lead;
            S.LeadAt = clock.GetUtcNow();
            action = "lead";
            await this.RegisterOrUpdateReminder(StaleReminder, options.Value.StaleCheckEvery, options.Value.StaleCheckEvery);
        }
        await CommitAsync(actor, action, DealStage.Matched, S.Stage, note);
        return await ViewAsync(actor);
    }

    public async Task<DealView> ClaimAsync(Actor actor, string? note)
    {
        await RequireAsync(actor);
        if (!IsBrokerOfEither(actor)) throw new ProblemException(ProblemCodes.Forbidden);
        if (S.ClaimedBy is not null) throw new ProblemException(ProblemCodes.AlreadyClaimed);
        if (S.Stage != DealStage.Lead) throw new ProblemException(ProblemCodes.InvalidTransition);
        S.ClaimedBy = actor.AccountId;
        S.LeadingRegion = actor.RegionCode;
        S.Stage = DealStage.Introduced;
        await CommitAsync(actor, "claim", DealStage.Lead, DealStage.Introduced, note);
        return await ViewAsync(actor);
    }

    public async Task<DealView> AdvanceAsync(Actor actor, DealStage to, string? note)
    {
        await RequireLeadingBrokerAsync(actor);
        var next = S.Stage switch
        {
            DealStage.Introduced => DealStage.Negotiating,
            DealStage.Negotiating => DealStage.ContractSigned,
            _ => (DealStage?)null, // Registered only through the contract; Closed through CloseAsync
        };
        if (next != to) throw new ProblemException(ProblemCodes.InvalidTransition);
        var from = S.Stage;
        S.Stage = to;
        await CommitAsync(actor, "stage", from, to, note);
        return await ViewAsync(actor);
    }

    public async Task<DealView> CloseAsync(Actor actor, string reason)
    {
        await RequireLeadingBrokerAsync(actor);
        if (!IsOpen(S.Stage)) throw new ProblemException(ProblemCodes.InvalidTransition);
        var from = S.Stage;
        S.Stage = DealStage.Closed;
        S.CloseReason = reason;
        await CommitAsync(actor, "close", from, DealStage.Closed, reason);
        await StopReminderAsync();
        return await ViewAsync(actor);
    }

    public async Task OpenFromTradeAsync(DealFacts facts)
    {
        if (S.Facts is not null) return; // the trade asked again after a crash
        if (!IsTradeKey(Id)) throw new ProblemException(ProblemCodes.InvalidTransition);
        var now = clock.GetUtcNow();
        S.Facts = facts;
        S.AchievementInterest = S.DemandInterest = true;
        S.Stage = DealStage.Lead;
        S.LeadAt = now;
        await this.RegisterOrUpdateReminder(StaleReminder, options.Value.StaleCheckEvery, options.Value.StaleCheckEvery);
        await CommitAsync(new Actor("system", "", OrganizationKind.National, Role.Member), "lead:" + Id[..3], DealStage.Matched, DealStage.Lead, null);
    }

    public static bool IsTradeKey(string id) =>
        id.StartsWith("fpl-", StringComparison.Ordinal) || id.StartsWith("auc-", StringComparison.Ordinal) || id.StartsWith("tnd-", StringComparison.Ordinal);

    public async Task<DealView> RegisterContractAsync(Actor actor, ContractContent content)
    {
        await RequireLeadingBrokerAsync(actor);
        if (S.Stage != DealStage.ContractSigned) throw new ProblemException(ProblemCodes.InvalidTransition);
        return await RegisterAsync(actor, content, S.LeadingRegion!, S.ClaimedBy, "register");
    }

    public async Task<DealView> RegisterOwnContractAsync(Actor actor, ContractContent content, bool brokerAcknowledged)
    {
        await RequireAsync(actor);
        if (SideOf(actor) != "achievement") throw new ProblemException(ProblemCodes.Forbidden); // the seller registers (卖方登记)
        if (!MayRegisterOwnContract) throw new ProblemException(ProblemCodes.InvalidTransition);
        var f = S.Facts!;
        var attribution = Attribution();
        if (attribution is not null && !brokerAcknowledged)
        {
            var v = new Validation();
            v.Fail("acknowledgeBroker", "broker-attribution");
            v.ThrowIfInvalid();
        }
        // The leading center registers an attributed contract; otherwise the seller's center (the registry of its place).
        var region = attribution?.Region ?? f.AchievementRegion ?? f.DemandRegion ?? throw new ProblemException(ProblemCodes.InvalidTransition);
        return await RegisterAsync(actor, content, region, attribution?.Broker, attribution is null ? "register-own-unattributed" : "register-own");
    }

    /// <summary>
    /// Registers the contract with <paramref name="region"/>'s registry, attributed to <paramref name="broker"/>, and moves
    /// the deal to Registered. The registry is idempotent per deal: if we crash after it answered, the retry gets the
    /// first registration (its number and its content, which the event below reports).
    /// </summary>
    async Task<DealView> RegisterAsync(Actor actor, ContractContent content, string region, string? broker, string action)
    {
        var f = S.Facts!;
        var contract = await GrainFactory.GetGrain<IContractRegistryGrain>(region).RegisterAsync(actor,
            new ContractFacts(Id, f.AchievementId, f.DemandId, f.TechField, region, f.AchievementOrganizationId, f.DemandOrganizationId, broker),
            content);
        var from = S.Stage;
        S.ContractNumber = contract.Number;
        S.Stage = DealStage.Registered;
        await CommitAsync(actor, action, from, DealStage.Registered, contract.Number);
        await StopReminderAsync();
        await notifier.ContractRegisteredAsync(new ContractRegistered(contract.Number, Id, f.TechField, region,
            contract.Content.ContractAmount, contract.Content.TechTransactionAmount, contract.Content.SigningDate.ToString("yyyy-MM-dd"), broker), f);
        return await ViewAsync(actor);
    }

    /// <summary>
    /// The parties may register the contract themselves once they met here (a lead: contacts exchanged) and until one is
    /// registered, whatever the broker's stage, also after the deal was ended: they may have signed outside the flow.
    /// </summary>
    bool MayRegisterOwnContract => S.LeadAt is not null && S.ContractNumber is null;

    /// <summary>The claiming broker while the tail since the claim lasts (<see cref="BrokerAttribution"/>).</summary>
    BrokerAttribution? Attribution()
    {
        if (S.ClaimedBy is not { } broker || S.LeadingRegion is not { } region
            || S.Trail.LastOrDefault(e => e.Action == "claim") is not { } claim) return null;
        var until = claim.At + options.Value.AttributionTail;
        return clock.GetUtcNow() <= until ? new BrokerAttribution(broker, region, claim.At, until) : null;
    }

    public async Task<DealView> RateAsync(Actor actor, int stars, string? comment)
    {
        await RequireAsync(actor);
        var side = SideOf(actor) ?? throw new ProblemException(ProblemCodes.Forbidden);
        if (S.ClaimedBy is null || IsOpen(S.Stage)) throw new ProblemException(ProblemCodes.InvalidTransition);
        if (S.Ratings.Any(r => r.Side == side)) throw new ProblemException(ProblemCodes.AlreadyRated);
        S.Ratings.Add(new DealRating(side, S.ClaimedBy, stars, comment, actor.AccountId, clock.GetUtcNow()));
        await CommitAsync(actor, $"rate:{side}", S.Stage, S.Stage, null);
        return await ViewAsync(actor);
    }

    public async Task<DealView> ContestAsync(Actor actor, string reason)
    {
        await RequireAsync(actor);
        var subject = SubjectOf(actor) ?? throw new ProblemException(ProblemCodes.Forbidden);
        if (DealContest.Of(S.Trail).Any(c => c.Subject == subject)) throw new ProblemException(ProblemCodes.AlreadyContested);
        await CommitAsync(actor, $"contest:{subject}", S.Stage, S.Stage, reason, activity: false);
        return await ViewAsync(actor);
    }

    public async Task<DealView> DecideContestAsync(Actor actor, string subject, bool upheld, string note)
    {
        await RequireAsync(actor);
        if (!MayDecideContests(actor)) throw new ProblemException(ProblemCodes.Forbidden);
        if (DealContest.Of(S.Trail).SingleOrDefault(c => c.Subject == subject) is not { Outcome: null })
            throw new ProblemException(ProblemCodes.InvalidTransition); // nothing open to decide: none filed, or decided already
        await CommitAsync(actor, $"contest-{(upheld ? DealContest.Upheld : DealContest.Rejected)}:{subject}", S.Stage, S.Stage, note, activity: false);
        return await ViewAsync(actor);
    }

    /// <summary>Whose record the actor may contest on this deal: their organization's side, or their own as its leading broker.</summary>
    string? SubjectOf(Actor actor) => SideOf(actor) ?? (S.ClaimedBy is not null && actor.AccountId == S.ClaimedBy ? "broker" : null);

    /// <summary>The center reviews: its admins where it leads the deal (either party's center while nobody leads it), or national.</summary>
    bool MayDecideContests(Actor actor) =>
        actor.IsNationalAdmin || actor.Role == Role.CenterAdmin && actor.RegionCode is { } region
            && (S.LeadingRegion is { } leading ? region == leading : S.Facts!.Regions.Contains(region));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != StaleReminder || !await LoadAsync()) return;
        if (!IsOpen(S.Stage))
        {
            await StopReminderAsync();
            return;
        }
        var now = clock.GetUtcNow();
        if (Stale || now - S.LastActivityAt < options.Value.StaleAfter) return;
        S.StaleFlaggedAt = now;
        S.Trail.Add(new DealEntry(now, "system", "stale", S.Stage.ToString(), S.Stage.ToString(),
            $"超过 {options.Value.StaleAfter.TotalDays:0.##} 天无进展"));
        S.Version++;
        await this.WriteStateThenAsync(state, () => projection.WriteAsync(Id, S, stale: true));
        await notifier.DealStaleAsync(new DealStale(Id, S.Facts!.AchievementTitle, S.Facts.DemandTitle, S.Stage.ToString(),
            S.LastActivityAt, S.ClaimedBy), S.Facts.Regions);
    }

    async Task StopReminderAsync()
    {
        if (await this.GetReminder(StaleReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>
    /// Appends the trail entry, counts it as activity, and writes state, projection and event in that order. A failed
    /// write drops the activation with the change its caller made in memory (GrainWrites): a claim that was not stored
    /// is not held against the claimant's retry, which meets the stored deal (and tt_deal repaired by its activation).
    /// </summary>
    /// <param name="activity">False for what is about the record, not the deal (a contest): it neither revives a stale deal nor delays its check.</param>
    async Task CommitAsync(Actor actor, string action, DealStage from, DealStage to, string? note, bool activity = true)
    {
        var now = clock.GetUtcNow();
        S.Trail.Add(new DealEntry(now, actor.AccountId, action, from.ToString(), to.ToString(), note));
        if (activity) S.LastActivityAt = now;
        S.Version++;
        await this.WriteStateThenAsync(state, () => projection.WriteAsync(Id, S, stale: false));
        var f = S.Facts!;
        await notifier.DealUpdatedAsync(new DealUpdated(Id, f.AchievementId, f.DemandId, f.AchievementTitle, f.DemandTitle, S.Stage.ToString(),
            S.AchievementInterest, S.DemandInterest, S.ClaimedBy, S.LeadingRegion, f.AchievementRegion, f.DemandRegion, action, S.Version), f);
    }

    /// <summary>Loads the match's facts the first time the deal is touched; false when there is no such match.</summary>
    async Task<bool> LoadAsync()
    {
        if (S.Facts is not null) return true;
        if (!Id.StartsWith("mat-", StringComparison.Ordinal)) return false;
        var facts = await projection.LoadFactsAsync(Id);
        if (facts is null) return false;
        S.Facts = facts;
        S.LastActivityAt = clock.GetUtcNow();
        return true; // written with the first change; reading a deal writes nothing
    }

    async Task RequireAsync(Actor actor)
    {
        if (!await LoadAsync() || !MaySee(actor)) throw new ProblemException(ProblemCodes.NotFound);
    }

    async Task RequireLeadingBrokerAsync(Actor actor)
    {
        await RequireAsync(actor);
        var leads = actor.AccountId == S.ClaimedBy
            || (actor.Role == Role.CenterAdmin && actor.RegionCode is not null && actor.RegionCode == S.LeadingRegion);
        if (!leads) throw new ProblemException(ProblemCodes.Forbidden);
    }

    bool IsParty(Actor actor) => SideOf(actor) is not null;

    string? SideOf(Actor actor) =>
        actor.OrganizationId == S.Facts!.AchievementOrganizationId ? "achievement"
        : actor.OrganizationId == S.Facts.DemandOrganizationId ? "demand"
        : null;

    bool IsBrokerOfEither(Actor actor) =>
        actor.Role is Role.Broker or Role.CenterAdmin && actor.RegionCode is { } region && S.Facts!.Regions.Contains(region);

    bool MaySee(Actor actor) => IsParty(actor) || IsBrokerOfEither(actor) || actor.IsNationalAdmin;

    /// <summary>Contacts only once both parties are interested, and only to the parties and the responsible brokers.</summary>
    async Task<DealView> ViewAsync(Actor viewer)
    {
        var f = S.Facts!;
        DealContacts? contacts = null;
        if (S.LeadAt is not null && S.Stage != DealStage.Matched && (IsParty(viewer) || IsBrokerOfEither(viewer)))
            contacts = new DealContacts( // a trade may have no listing on one side
                f.AchievementId.Length == 0 ? null : await GrainFactory.GetGrain<IAchievementGrain>(f.AchievementId).GetContactForLeadAsync(),
                f.DemandId.Length == 0 ? null : await GrainFactory.GetGrain<IDemandGrain>(f.DemandId).GetContactForLeadAsync());
        // Ratings: the centers and national see them all, a party its own; a party that may still rate is told so.
        var side = SideOf(viewer);
        DealRating[] ratings = IsBrokerOfEither(viewer) || viewer.IsNationalAdmin ? [.. S.Ratings] : [.. S.Ratings.Where(r => r.Side == side)];
        var mayRateAs = side is not null && S.ClaimedBy is not null && !IsOpen(S.Stage) && S.Ratings.All(r => r.Side != side) ? side : null;
        // Contests are on the trail, which everyone who sees the deal sees.
        var contests = DealContest.Of(S.Trail);
        var subject = SubjectOf(viewer);
        var mayContestAs = subject is not null && contests.All(c => c.Subject != subject) ? subject : null;
        return new DealView(Id, f, S.Stage.ToString(), S.AchievementInterest, S.DemandInterest, S.ClaimedBy, S.LeadingRegion,
            S.CloseReason, S.ContractNumber, S.LeadAt, S.LastActivityAt, Stale, [.. S.Trail], contacts, S.Version, ratings, mayRateAs,
            [.. contests], mayContestAs, MayDecideContests(viewer),
            MayRegisterOwnContract ? Attribution() : null, side == "achievement" && MayRegisterOwnContract);
    }
}
