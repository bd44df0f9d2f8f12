using TechTransfer.Problems;

namespace TechTransfer.Organizations;

public sealed class OrganizationGrain(
    [PersistentState("organization")] IPersistentState<OrganizationState> state,
    TimeProvider clock) : Grain, IOrganizationGrain
{
    // What GetAsync answers (it interleaves with the other calls): the organization as last written, never a change
    // whose write is still under way (a member is entitled to events once the membership is stored).
    OrganizationView? committed;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        committed = state.RecordExists ? View() : null;
        return Task.CompletedTask;
    }

    public async Task<OrganizationView> RegisterAsync(OrganizationProfile profile)
    {
        if (state.RecordExists)
            return state.State.Profile == profile ? View() : throw new ProblemException(ProblemCodes.AlreadyExists);
        state.State.Profile = profile;
        state.State.CreatedAt = clock.GetUtcNow();
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

    public async Task<OrganizationView> SetVerifiedAsync(bool verified)
    {
        if (!state.RecordExists) throw new ProblemException(ProblemCodes.NotFound);
        if (state.State.Verified == verified) return View();
        state.State.Verified = verified;
        await WriteAsync();
        return View();
    }

    async Task WriteAsync()
    {
        await state.WriteStateAsync();
        committed = View();
    }

    OrganizationView View()
    {
        var p = state.State.Profile!;
        return new OrganizationView(this.GetPrimaryKeyString(), p.Name, p.Kind.ToString(), p.Province, p.RegionCode,
            [.. state.State.Members], state.State.CreatedAt, state.State.Verified);
    }
}
