using TechTransfer.Accounts;
using TechTransfer.Listings;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Vocabulary;

namespace TechTransfer.Achievements;

public sealed class AchievementGrain(
    [PersistentState("achievement")] IPersistentState<AchievementState> state,
    ListingProjection projection,
    RegionDirectory regions,
    TimeProvider clock) : Grain, IAchievementGrain
{
    AchievementState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A crash between the state write and the projection write leaves the projection behind;
        // the version guard makes this catch-up a no-op in the normal case.
        if (state.RecordExists) await projection.UpsertAsync(ToRow(), cancellationToken);
    }

    public async Task<AchievementView> CreateAsync(Actor actor, AchievementContent content)
    {
        if (state.RecordExists) throw new ProblemException(ProblemCodes.AlreadyExists);
        if (!actor.MayPostAchievements) throw new ProblemException(ProblemCodes.Forbidden);
        var now = clock.GetUtcNow();
        S.OwnerOrganizationId = actor.OrganizationId;
        S.CreatedBy = actor.AccountId;
        S.CreatedAt = now;
        S.Status = AchievementStatus.Draft;
        await SaveAsync(content);
        return View(actor);
    }

    public async Task<SyncOutcome> SyncFromCatalogueAsync(Actor actor, AchievementContent content, string externalId)
    {
        if (!state.RecordExists)
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

    public Task<AchievementView?> GetAsync(Actor? viewer)
    {
        var visible = ListingRules.IsVisible(state.RecordExists, S.Status == AchievementStatus.Published, viewer, S.OwnerOrganizationId);
        return Task.FromResult(visible ? View(viewer) : null);
    }

    public async Task<AchievementView> UpdateAsync(Actor actor, AchievementContent content, int expectedVersion)
    {
        EnsureMayEdit(actor);
        if (expectedVersion != S.Version) throw new ProblemException(ProblemCodes.VersionMismatch);
        if (S.Status == AchievementStatus.Transferred)
            throw new ProblemException(ProblemCodes.InvalidTransition);
        await SaveAsync(content);
        return View(actor);
    }

    public async Task<AchievementView> PublishAsync(Actor actor)
    {
        EnsureMayEdit(actor);
        if (S.Status == AchievementStatus.Published) return View(actor);
        if (S.Status == AchievementStatus.Transferred) throw new ProblemException(ProblemCodes.InvalidTransition);
        S.Status = AchievementStatus.Published;
        S.PublishedAt = clock.GetUtcNow();
        await SaveAsync(S.Content!);
        await RegionalCenterOf().ListingChangedAsync(ListingKind.Achievement, this.GetPrimaryKeyString(), published: true);
        return View(actor);
    }

    public async Task<AchievementView> WithdrawAsync(Actor actor)
    {
        EnsureMayEdit(actor);
        if (S.Status == AchievementStatus.Withdrawn) return View(actor);
        if (S.Status != AchievementStatus.Published) throw new ProblemException(ProblemCodes.InvalidTransition);
        S.Status = AchievementStatus.Withdrawn;
        await SaveAsync(S.Content!);
        await RegionalCenterOf().ListingChangedAsync(ListingKind.Achievement, this.GetPrimaryKeyString(), published: false);
        return View(actor);
    }

    void EnsureMayEdit(Actor actor) => ListingRules.EnsureMayEdit(state.RecordExists, actor, S.OwnerOrganizationId);

    /// <summary>State first (the source of truth), then the projection; the call is acknowledged only after both.</summary>
    async Task SaveAsync(AchievementContent content)
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
            // The in-memory state ran ahead of storage: drop this activation so the next call reloads the truth.
            DeactivateOnIdle();
            throw;
        }
        await projection.UpsertAsync(ToRow());
    }

    IRegionalCenterGrain RegionalCenterOf() =>
        GrainFactory.GetGrain<IRegionalCenterGrain>(regions.OfProvince(S.Content!.Province)!.Code);

    AchievementView View(Actor? viewer)
    {
        var c = S.Content!;
        var contact = ListingRules.ContactFor(viewer, S.OwnerOrganizationId, c.Contact);
        return new AchievementView(this.GetPrimaryKeyString(), S.OwnerOrganizationId, S.Status.ToString(), c.Title, c.Summary,
            c.Keywords, c.TechField.ToString(), c.Trl, [.. c.TransferModes.Select(m => m.ToString())], c.AskingPrice,
            c.Province, regions.OfProvince(c.Province)?.Code, c.IpRights, contact, S.CreatedAt, S.UpdatedAt,
            S.PublishedAt, S.Version);
    }

    ListingRow ToRow()
    {
        var c = S.Content!;
        return new ListingRow(this.GetPrimaryKeyString(), ListingKind.Achievement, S.OwnerOrganizationId, S.Status.ToString(),
            c.Title, c.Province, regions.OfProvince(c.Province)?.Code, c.TechField.ToString(), c.Trl, c.AskingPrice,
            S.UpdatedAt, S.Version, S.ExternalId, View(viewer: null));
    }
}
