using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Storage;

namespace TechTransfer.Organizations;

public sealed class OrganizationGrain(
    [PersistentState("organization")] IPersistentState<OrganizationState> state,
    OrganizationProjection projection,
    RegionDirectory regions,
    TimeProvider clock) : Grain, IOrganizationGrain
{
    // What GetAsync answers (it interleaves with the other calls): the organization as last written, never a change
    // whose write is still under way (a member is entitled to events once the membership is stored).
    OrganizationView? committed;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        committed = state.RecordExists ? View() : null;
        // A failed projection write is repaired here; when the row is current the statement writes nothing.
        if (committed is not null) await projection.UpsertAsync(committed, Region(), state.State.Version, cancellationToken);
    }

    public async Task<OrganizationView> RegisterAsync(OrganizationProfile profile)
    {
        if (state.RecordExists)
            return state.State.Profile == profile && state.State.Application is null ? View() : throw new ProblemException(ProblemCodes.AlreadyExists);
        state.State.Profile = profile;
        state.State.CreatedAt = clock.GetUtcNow();
        await WriteAsync();
        return View();
    }

    public async Task<OrganizationView> ApplyAsync(OrganizationProfile profile, string? phone, string? email, string applicantAccountId)
    {
        if (state.RecordExists)
        {
            var a = state.State.Application;
            var same = state.State.Profile == profile && a is not null && a.ApplicantAccountId == applicantAccountId && a.Phone == phone && a.Email == email;
            return same ? View() : throw new ProblemException(ProblemCodes.AlreadyExists);
        }
        var now = clock.GetUtcNow();
        state.State.Profile = profile;
        state.State.CreatedAt = now;
        state.State.Members = [applicantAccountId];
        state.State.Application = new OrganizationApplication(phone, email, applicantAccountId, now);
        await WriteAsync();
        return View();
    }

    public Task<OrganizationView?> GetAsync() => Task.FromResult(committed);

    public async Task AddMemberAsync(string accountId)
    {
        if (!state.RecordExists) throw new ProblemException(ProblemCodes.NotFound);
        if (state.State.Members.Contains(accountId)) return;
        state.State.Members.Add(accountId);
        await WriteAsync();
    }

    public async Task<OrganizationView> SetVerifiedAsync(bool verified, string? reason = null, string? decidedBy = null)
    {
        if (!state.RecordExists) throw new ProblemException(ProblemCodes.NotFound);
        var application = state.State.Application;
        // A decision on an application is recorded with it (when, by whom, why); a later change of mind is, too.
        var decided = application is null ? null : application with
        {
            Status = verified ? ApplicationStatus.Approved : ApplicationStatus.Rejected,
            Reason = verified ? null : reason,
            DecidedAt = clock.GetUtcNow(),
            DecidedBy = decidedBy,
        };
        var unchanged = state.State.Verified == verified
            && (application is null || (application.Status == decided!.Status && application.Reason == decided.Reason));
        if (unchanged) return View();
        state.State.Verified = verified;
        state.State.Application = decided;
        await WriteAsync();
        return View();
    }

    Task WriteAsync()
    {
        state.State.Version++;
        return this.WriteStateThenAsync(state, async () =>
        {
            committed = View();
            await projection.UpsertAsync(committed, Region(), state.State.Version);
        });
    }

    string? Region() => regions.OfProvince(state.State.Profile?.Province)?.Code;

    OrganizationView View()
    {
        var p = state.State.Profile!;
        return new OrganizationView(this.GetPrimaryKeyString(), p.Name, p.Kind.ToString(), p.Province, p.RegionCode,
            [.. state.State.Members], state.State.CreatedAt, state.State.Verified, state.State.Application);
    }
}
