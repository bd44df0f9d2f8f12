using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TechTransfer.Accounts;
using TechTransfer.Matching;
using TechTransfer.Notifications;
using TechTransfer.Storage;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Trades;

namespace TechTransfer.Listings;

/// <summary>What the shared listing machinery needs to know of an achievement's or a demand's content.</summary>
public interface IListingContent
{
    string Province { get; }
    Contact? Contact { get; }
}

/// <summary>Views carry the state version, which the API turns into an ETag.</summary>
public interface IVersioned
{
    int Version { get; }
}

/// <summary>The operations every listing grain offers; the kind-specific interfaces add their own.</summary>
[Alias("tt.IListingGrain`2")]
public interface IListingGrain<TContent, TView> : IGrainWithStringKey
{
    /// <summary>Creates the draft; fails with already-exists if the id is taken.</summary>
    [Alias("CreateAsync")]
    Task<TView> CreateAsync(Actor actor, TContent content);

    /// <summary>The listing as <paramref name="viewer"/> may see it, or null when it is not theirs to see.</summary>
    [Alias("GetAsync")]
    Task<TView?> GetAsync(Actor? viewer);

    /// <summary>Replaces the content when <paramref name="expectedVersion"/> is still current.</summary>
    [Alias("UpdateAsync")]
    Task<TView> UpdateAsync(Actor actor, TContent content, int expectedVersion);

    [Alias("PublishAsync")]
    Task<TView> PublishAsync(Actor actor);

    /// <summary>
    /// Once per listing, by its owner: back on the market (if it had expired) for a new validity period from now.
    /// 409 already-renewed the second time; 422 not-renewable unless published or expired.
    /// </summary>
    [Alias("RenewAsync")]
    Task<TView> RenewAsync(Actor actor);

    /// <summary>
    /// The private contact, for the deal of a lead to show to its parties and responsible brokers. No viewer is
    /// passed because the deal grain has already decided who sees it; no endpoint calls this.
    /// </summary>
    [Alias("GetContactForLeadAsync")]
    Task<Contact?> GetContactForLeadAsync();
}

/// <summary>Stored listing state. Property names are the stored JSON contract. Status 0 is Draft.</summary>
[GenerateSerializer]
public abstract class ListingState<TContent, TStatus> where TContent : class where TStatus : struct, Enum
{
    [Id(0)] public TContent? Content { get; set; }
    [Id(1)] public string OwnerOrganizationId { get; set; } = "";
    [Id(2)] public string CreatedBy { get; set; } = "";
    [Id(3)] public TStatus Status { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(6)] public DateTimeOffset? PublishedAt { get; set; }
    [Id(7)] public int Version { get; set; }
    [Id(8)] public string? ExternalId { get; set; }

    /// <summary>Start of the current validity period: the first publication, then the renewal (null before: PublishedAt).</summary>
    [Id(9)] public DateTimeOffset? ValidFrom { get; set; }

    [Id(10)] public bool Renewed { get; set; }

    /// <summary>The expiry the owner has been reminded of; a renewal moves the expiry, so its notice is sent anew.</summary>
    [Id(11)] public DateTimeOffset? RemindedFor { get; set; }
}

/// <summary>
/// The life of a listing, shared by achievements and demands: who may change it, the version check, the
/// status moves, and the write order (state, then projection, then the regional center) that makes an
/// acknowledged change durable and visible.
/// </summary>
public abstract class ListingGrain<TState, TContent, TStatus, TView>(
    IPersistentState<TState> state,
    ListingProjection projection,
    RegionDirectory regions,
    ListingMatcher matcher,
    Subscriptions.SubscriptionMatcher subscriptions,
    TimeProvider clock) : Grain, IRemindable
    where TState : ListingState<TContent, TStatus>
    where TContent : class, IListingContent
    where TStatus : struct, Enum
{
    protected TState S => state.State;

    protected string Id => this.GetPrimaryKeyString();

    protected TimeProvider Clock => clock;

    protected abstract ListingKind Kind { get; }

    protected abstract TStatus Published { get; }

    /// <summary>Off the market because its validity ran out; the owner still sees it and may renew it once.</summary>
    protected abstract TStatus Expired { get; }

    /// <summary>Expired for <see cref="ListingOptions.ArchiveAfter"/>: kept for the record, read-only, no longer renewable.</summary>
    protected abstract TStatus Archived { get; }

    /// <summary>A status after which nothing changes any more (Transferred, Fulfilled).</summary>
    protected abstract TStatus Final { get; }

    protected abstract bool MayPost(Actor actor);

    protected abstract TView ToView(Actor? viewer);

    protected abstract ListingRow ToRow();

    /// <summary>Kind-specific checks before publishing (e.g. a demand's deadline).</summary>
    protected virtual void EnsurePublishable() { }

    /// <summary>A kind's own end that comes before the validity runs out (a demand's deadline).</summary>
    protected virtual DateTimeOffset? EndsBy => null;

    bool IsPublished => S.Status.Equals(Published);

    const string LifecycleReminder = "lifecycle";

    // From the services rather than the constructor, so the kinds' grains need not pass them on.
    ListingOptions Lifecycle => ServiceProvider.GetRequiredService<IOptions<ListingOptions>>().Value;

    /// <summary>When a published (or expired) listing leaves the market: validity from its start, or the kind's own end if sooner.</summary>
    protected DateTimeOffset? ExpiresAt =>
        (S.ValidFrom ?? S.PublishedAt) is { } from && (IsPublished || S.Status.Equals(Expired) || S.Status.Equals(Archived)) ? ExpiryFrom(from) : null;

    DateTimeOffset ExpiryFrom(DateTimeOffset from) =>
        EndsBy is { } end && end < from + Lifecycle.Validity ? end : from + Lifecycle.Validity;

    protected string? RegionCode => regions.OfProvince(S.Content!.Province)?.Code;

    protected Contact? ContactFor(Actor? viewer) => ListingRules.ContactFor(viewer, S.OwnerOrganizationId, S.Content!.Contact);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A crash or a failed write between the state write and the projection write leaves the projection behind
        // (GrainWrites); this repairs it. When the projection is current the statement writes nothing at all.
        if (state.RecordExists) await projection.UpsertAsync(ToRow(), cancellationToken);
        // Listings published (or expired) before their lifecycle step existed get their reminder on their first activation.
        if ((IsPublished || S.Status.Equals(Expired)) && await this.GetReminder(LifecycleReminder) is null) await ArmLifecycleAsync();
    }

    public async Task<TView> CreateAsync(Actor actor, TContent content)
    {
        if (state.RecordExists) throw new ProblemException(ProblemCodes.AlreadyExists);
        if (!MayPost(actor)) throw new ProblemException(ProblemCodes.Forbidden);
        S.OwnerOrganizationId = actor.OrganizationId;
        S.CreatedBy = actor.AccountId;
        S.CreatedAt = clock.GetUtcNow();
        S.Status = default;
        await SaveAsync(content);
        return ToView(actor);
    }

    public Task<Contact?> GetContactForLeadAsync() => Task.FromResult(S.Content?.Contact);

    public Task<TView?> GetAsync(Actor? viewer)
    {
        var visible = ListingRules.IsVisible(state.RecordExists, IsPublished, viewer, S.OwnerOrganizationId);
        return Task.FromResult(visible ? ToView(viewer) : default);
    }

    public async Task<TView> UpdateAsync(Actor actor, TContent content, int expectedVersion)
    {
        EnsureMayEdit(actor);
        if (expectedVersion != S.Version) throw new ProblemException(ProblemCodes.VersionMismatch);
        if (S.Status.Equals(Final) || S.Status.Equals(Archived)) throw new ProblemException(ProblemCodes.InvalidTransition);
        await SaveAsync(content);
        if (IsPublished)
        {
            await ArmLifecycleAsync(); // a demand's new deadline may move its expiry
            await MatchAsync();
        }
        return ToView(actor);
    }

    public async Task<TView> PublishAsync(Actor actor)
    {
        EnsureMayEdit(actor);
        if (!IsPublished)
        {
            if (S.Status.Equals(Final) || S.Status.Equals(Archived)) throw new ProblemException(ProblemCodes.InvalidTransition);
            // Validity counts from the first publication: an expired listing comes back by renewal only, and taking
            // one off the market and publishing it again does not start a new period.
            if (S.Status.Equals(Expired) || S.ValidFrom is { } from && ExpiryFrom(from) <= clock.GetUtcNow())
                throw new ProblemException(ProblemCodes.InvalidTransition);
            EnsurePublishable();
            // An organization whose application to join is still pending (or was rejected) prepares drafts only.
            await Organizations.Admission.RequireAdmittedAsync(GrainFactory, S.OwnerOrganizationId);
            S.Status = Published;
            S.PublishedAt = clock.GetUtcNow();
            S.ValidFrom ??= S.PublishedAt;
            await SaveAsync(S.Content!);
            Telemetry.Metrics.Published.Add(1, new KeyValuePair<string, object?>("kind", Kind.ToString()));
        }
        await ArmLifecycleAsync();
        // A retried publish (its first attempt failed after the state write: the activation that serves it re-wrote the
        // projection) repeats what follows, which the first attempt may never have reached; both steps are idempotent.
        var listing = PublicDocument();
        // Side by side: the center's announcement (its own inbox writes) does not hold up the matches, nor they the
        // saved searches' notices.
        await Task.WhenAll(
            RegionalCenter().ListingPublishedAsync(Kind, Id, S.Version, listing.Title, listing.TechField, listing.Province),
            matcher.MatchAsync(listing),
            subscriptions.NotifyAsync(listing));
        return ToView(actor);
    }

    /// <summary>Withdraw (achievement) or close (demand): off the market, idempotently.</summary>
    protected async Task<TView> TakeOffMarketAsync(Actor actor, TStatus to)
    {
        EnsureMayEdit(actor);
        if (S.Status.Equals(to)) return ToView(actor);
        if (S.Status.Equals(Final) || S.Status.Equals(Archived)) throw new ProblemException(ProblemCodes.InvalidTransition);
        var wasPublished = IsPublished;
        S.Status = to;
        await SaveAsync(S.Content!);
        if (wasPublished) await RegionalCenter().ListingRemovedAsync(Kind, Id);
        return ToView(actor);
    }

    public async Task<TView> RenewAsync(Actor actor)
    {
        EnsureMayEdit(actor);
        if (S.Renewed) throw new ProblemException(ProblemCodes.AlreadyRenewed);
        var now = clock.GetUtcNow();
        if (!(IsPublished || S.Status.Equals(Expired)) || ExpiryFrom(now) <= now) throw new ProblemException(ProblemCodes.NotRenewable);
        var wasExpired = S.Status.Equals(Expired);
        S.Status = Published;
        S.ValidFrom = now;
        S.Renewed = true;
        await SaveAsync(S.Content!);
        await ArmLifecycleAsync();
        if (wasExpired)
        {
            // Back on the market as at publication: the center counts it again and it is matched against what is there now.
            var listing = PublicDocument();
            await Task.WhenAll(
                RegionalCenter().ListingPublishedAsync(Kind, Id, S.Version, listing.Title, listing.TechField, listing.Province),
                matcher.MatchAsync(listing));
        }
        return ToView(actor);
    }

    /// <summary>
    /// The lifecycle reminder: the owner's notice when the expiry is near, the expiry itself when it is due. Either
    /// may lie beyond what Orleans can arm (~49.7 days), so it fires at most a horizon ahead and is armed again.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != LifecycleReminder) return;
        var now = clock.GetUtcNow();
        if (state.RecordExists && S.Status.Equals(Expired) && ExpiresAt is { } expired)
        {
            if (now >= expired + Lifecycle.ArchiveAfter) await ArchiveAsync();
            else await ArmLifecycleAsync();
            return;
        }
        if (!state.RecordExists || !IsPublished)
        {
            if (await this.GetReminder(LifecycleReminder) is { } reminder) await this.UnregisterReminder(reminder);
            return;
        }
        var expiresAt = ExpiresAt!.Value;
        if (now >= expiresAt)
        {
            await ExpireAsync();
            return;
        }
        if (now >= expiresAt - Lifecycle.ReminderBefore && S.RemindedFor != expiresAt)
        {
            // Told first, then recorded: a retry after a failed write sends the same event id, which each inbox takes once.
            await ServiceProvider.GetRequiredService<Notifier>().ListingExpiringAsync(
                new ListingExpiring(Id, Kind.ToString(), PublicDocument().Title, expiresAt, Renewable: !S.Renewed), S.OwnerOrganizationId);
            S.RemindedFor = expiresAt;
            await WriteBookkeepingAsync();
        }
        await ArmLifecycleAsync();
    }

    /// <summary>Off the market (search, matching, new trades) on every host: the projection's status drives the replicas.</summary>
    async Task ExpireAsync()
    {
        S.Status = Expired;
        await SaveAsync(S.Content!);
        await RegionalCenter().ListingRemovedAsync(Kind, Id);
        await ArmLifecycleAsync(); // now for the archiving
    }

    /// <summary>Two years after expiring without renewal: kept for the record, read-only; the reminder's work is done.</summary>
    async Task ArchiveAsync()
    {
        S.Status = Archived;
        await SaveAsync(S.Content!);
        if (await this.GetReminder(LifecycleReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    /// <summary>
    /// Armed for the notice if it is still to be sent, else for the expiry, and once expired for the archiving; never
    /// more than the horizon ahead.
    /// </summary>
    async Task ArmLifecycleAsync()
    {
        if (ExpiresAt is not { } expiresAt || !(IsPublished || S.Status.Equals(Expired))) return;
        var next = S.Status.Equals(Expired) ? expiresAt + Lifecycle.ArchiveAfter
            : S.RemindedFor != expiresAt ? expiresAt - Lifecycle.ReminderBefore : expiresAt;
        await this.RegisterOrUpdateReminder(LifecycleReminder, TradeTimers.DueIn(next, clock.GetUtcNow(), Lifecycle.ReminderHorizon),
            Lifecycle.CheckPeriod);
    }

    protected bool Exists => state.RecordExists;

    protected void EnsureMayEdit(Actor actor) => ListingRules.EnsureMayEdit(state.RecordExists, actor, S.OwnerOrganizationId);

    /// <summary>
    /// State first (the source of truth), then the projection; the call is acknowledged only after both. A failure of
    /// either drops the activation: the next call reloads the state and its activation re-writes the projection.
    /// </summary>
    protected Task SaveAsync(TContent content)
    {
        S.Content = content;
        S.UpdatedAt = clock.GetUtcNow();
        S.Version++;
        return this.WriteStateThenAsync(state, () => projection.UpsertAsync(ToRow()));
    }

    /// <summary>Writes bookkeeping that neither the views nor the projection show (e.g. an achievement's open trade): no new version.</summary>
    protected async Task WriteBookkeepingAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle(); // as in SaveAsync: the next call reloads the truth
            throw;
        }
    }

    /// <summary>Pairs the listing, as it is now on the market, with the other side; stored in tt_match.</summary>
    protected Task<IReadOnlyList<MatchCandidate>> MatchAsync() => matcher.MatchAsync(PublicDocument());

    /// <summary>The listing as anyone may see it (never the contact), as search and matching see it.</summary>
    ListingDocument PublicDocument() =>
        ListingDocument.FromView(Kind, JsonSerializer.SerializeToElement(ToView(viewer: null), TechTransferJson.Options));

    IRegionalCenterGrain RegionalCenter() => GrainFactory.GetGrain<IRegionalCenterGrain>(RegionCode!);
}
