using TechTransfer.Accounts;
using TechTransfer.Listings;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Vocabulary;

namespace TechTransfer.Demands;

public sealed class DemandGrain(
    [PersistentState("demand")] IPersistentState<DemandState> state,
    ListingProjection projection,
    RegionDirectory regions,
    TimeProvider clock) : Grain, IDemandGrain
{
    DemandState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Catch the projection up after a crash between the two writes (a no-op when it is current).
        if (state.RecordExists) await projection.UpsertAsync(ToRow(), cancellationToken);
    }

    public async Task<DemandView> CreateAsync(Actor actor, DemandContent content)
    {
        if (state.RecordExists) throw new ProblemException(ProblemCodes.AlreadyExists);
        if (!actor.MayPostDemands) throw new ProblemException(ProblemCodes.Forbidden);
        S.OwnerOrganizationId = actor.OrganizationId;
        S.CreatedBy = actor.AccountId;
        S.CreatedAt = clock.GetUtcNow();
        S.Status = DemandStatus.Draft;
        await SaveAsync(content);
        return View(actor);
    }

    public Task<DemandView?> GetAsync(Actor? viewer)
    {
        var visible = ListingRules.IsVisible(state.RecordExists, S.Status == DemandStatus.Published, viewer, S.OwnerOrganizationId);
        return Task.FromResult(visible ? View(viewer) : null);
    }

    public async Task<DemandView> UpdateAsync(Actor actor, DemandContent content, int expectedVersion)
    {
        EnsureMayEdit(actor);
        if (expectedVersion != S.Version) throw new ProblemException(ProblemCodes.VersionMismatch);
        if (S.Status == DemandStatus.Fulfilled) throw new ProblemException(ProblemCodes.InvalidTransition);
        await SaveAsync(content);
        return View(actor);
    }

    public async Task<DemandView> PublishAsync(Actor actor)
    {
        EnsureMayEdit(actor);
        if (S.Status == DemandStatus.Published) return View(actor);
        if (S.Status == DemandStatus.Fulfilled) throw new ProblemException(ProblemCodes.InvalidTransition);
        if (S.Content!.Deadline <= ChinaTime.Today(clock)) throw ProblemException.Invalid([new FieldError("deadline", "in-past")]);
        S.Status = DemandStatus.Published;
        S.PublishedAt = clock.GetUtcNow();
        await SaveAsync(S.Content);
        await RegionalCenterOf().ListingChangedAsync(ListingKind.Demand, this.GetPrimaryKeyString(), published: true);
        return View(actor);
    }

    public async Task<DemandView> CloseAsync(Actor actor)
    {
        EnsureMayEdit(actor);
        if (S.Status == DemandStatus.Closed) return View(actor);
        if (S.Status == DemandStatus.Fulfilled) throw new ProblemException(ProblemCodes.InvalidTransition);
        var wasPublished = S.Status == DemandStatus.Published;
        S.Status = DemandStatus.Closed;
        await SaveAsync(S.Content!);
        if (wasPublished)
            await RegionalCenterOf().ListingChangedAsync(ListingKind.Demand, this.GetPrimaryKeyString(), published: false);
        return View(actor);
    }

    void EnsureMayEdit(Actor actor) => ListingRules.EnsureMayEdit(state.RecordExists, actor, S.OwnerOrganizationId);

    /// <summary>State first (the source of truth), then the projection; the call is acknowledged only after both.</summary>
    async Task SaveAsync(DemandContent content)
    {
        S.Content = content;
        S.UpdatedAt = clock.GetUtcNow();
        S.Version++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle(); // reload the stored truth on the next call
            throw;
        }
        await projection.UpsertAsync(ToRow());
    }

    IRegionalCenterGrain RegionalCenterOf() =>
        GrainFactory.GetGrain<IRegionalCenterGrain>(regions.OfProvince(S.Content!.Province)!.Code);

    DemandView View(Actor? viewer)
    {
        var c = S.Content!;
        return new DemandView(this.GetPrimaryKeyString(), S.OwnerOrganizationId, S.Status.ToString(), c.Title, c.Description,
            c.Keywords, c.TechField.ToString(), c.MinTrl, c.BudgetMin, c.BudgetMax, c.Province,
            regions.OfProvince(c.Province)?.Code, c.Deadline, ListingRules.ContactFor(viewer, S.OwnerOrganizationId, c.Contact),
            S.CreatedAt, S.UpdatedAt, S.PublishedAt, S.Version);
    }

    ListingRow ToRow()
    {
        var c = S.Content!;
        return new ListingRow(this.GetPrimaryKeyString(), ListingKind.Demand, S.OwnerOrganizationId, S.Status.ToString(),
            c.Title, c.Province, regions.OfProvince(c.Province)?.Code, c.TechField.ToString(), c.MinTrl, c.BudgetMax,
            S.UpdatedAt, S.Version, ExternalId: null, View(viewer: null));
    }
}
