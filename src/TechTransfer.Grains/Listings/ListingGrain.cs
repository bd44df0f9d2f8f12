using System.Text.Json;
using TechTransfer.Accounts;
using TechTransfer.Matching;
using TechTransfer.Storage;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;

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
public interface IListingGrain<TContent, TView> : IGrainWithStringKey
{
    /// <summary>Creates the draft; fails with already-exists if the id is taken.</summary>
    Task<TView> CreateAsync(Actor actor, TContent content);

    /// <summary>The listing as <paramref name="viewer"/> may see it, or null when it is not theirs to see.</summary>
    Task<TView?> GetAsync(Actor? viewer);

    /// <summary>Replaces the content when <paramref name="expectedVersion"/> is still current.</summary>
    Task<TView> UpdateAsync(Actor actor, TContent content, int expectedVersion);

    Task<TView> PublishAsync(Actor actor);

    /// <summary>
    /// The private contact, for the deal of a lead to show to its parties and responsible brokers. No viewer is
    /// passed because the deal grain has already decided who sees it; no endpoint calls this.
    /// </summary>
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
    TimeProvider clock) : Grain
    where TState : ListingState<TContent, TStatus>
    where TContent : class, IListingContent
    where TStatus : struct, Enum
{
    protected TState S => state.State;

    protected string Id => this.GetPrimaryKeyString();

    protected TimeProvider Clock => clock;

    protected abstract ListingKind Kind { get; }

    protected abstract TStatus Published { get; }

    /// <summary>A status after which nothing changes any more (Transferred, Fulfilled).</summary>
    protected abstract TStatus Final { get; }

    protected abstract bool MayPost(Actor actor);

    protected abstract TView ToView(Actor? viewer);

    protected abstract ListingRow ToRow();

    /// <summary>Kind-specific checks before publishing (e.g. a demand's deadline).</summary>
    protected virtual void EnsurePublishable() { }

    bool IsPublished => S.Status.Equals(Published);

    protected string? RegionCode => regions.OfProvince(S.Content!.Province)?.Code;

    protected Contact? ContactFor(Actor? viewer) => ListingRules.ContactFor(viewer, S.OwnerOrganizationId, S.Content!.Contact);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A crash or a failed write between the state write and the projection write leaves the projection behind
        // (GrainWrites); this repairs it. When the projection is current the statement writes nothing at all.
        if (state.RecordExists) await projection.UpsertAsync(ToRow(), cancellationToken);
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
        if (S.Status.Equals(Final)) throw new ProblemException(ProblemCodes.InvalidTransition);
        await SaveAsync(content);
        if (IsPublished) await MatchAsync();
        return ToView(actor);
    }

    public async Task<TView> PublishAsync(Actor actor)
    {
        EnsureMayEdit(actor);
        if (!IsPublished)
        {
            if (S.Status.Equals(Final)) throw new ProblemException(ProblemCodes.InvalidTransition);
            EnsurePublishable();
            // An organization whose application to join is still pending (or was rejected) prepares drafts only.
            await Organizations.Admission.RequireAdmittedAsync(GrainFactory, S.OwnerOrganizationId);
            S.Status = Published;
            S.PublishedAt = clock.GetUtcNow();
            await SaveAsync(S.Content!);
            Telemetry.Metrics.Published.Add(1, new KeyValuePair<string, object?>("kind", Kind.ToString()));
        }
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
        if (S.Status.Equals(Final)) throw new ProblemException(ProblemCodes.InvalidTransition);
        var wasPublished = IsPublished;
        S.Status = to;
        await SaveAsync(S.Content!);
        if (wasPublished) await RegionalCenter().ListingRemovedAsync(Kind, Id);
        return ToView(actor);
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
