using TechTransfer.Problems;

namespace TechTransfer.Organizations;

public sealed class OrganizationGrain(
    [PersistentState("organization")] IPersistentState<OrganizationState> state,
    TimeProvider clock) : Grain, IOrganizationGrain
{
    public async Task<OrganizationView> RegisterAsync(OrganizationProfile profile)
    {
        if (state.RecordExists)
            return state.State.Profile == profile ? View() : throw new ProblemException(ProblemCodes.AlreadyExists);
        state.State.Profile = profile;
        state.State.CreatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        return View();
    }

    public Task<OrganizationView?> GetAsync() => Task.FromResult(state.RecordExists ? View() : null);

    public async Task AddMemberAsync(string accountId)
    {
        if (!state.RecordExists) throw new ProblemException(ProblemCodes.NotFound);
        if (state.State.Members.Contains(accountId)) return;
        state.State.Members.Add(accountId);
        await state.WriteStateAsync();
    }

    public async Task<OrganizationView> SetVerifiedAsync(bool verified)
    {
        if (!state.RecordExists) throw new ProblemException(ProblemCodes.NotFound);
        if (state.State.Verified == verified) return View();
        state.State.Verified = verified;
        await state.WriteStateAsync();
        return View();
    }

    OrganizationView View()
    {
        var p = state.State.Profile!;
        return new OrganizationView(this.GetPrimaryKeyString(), p.Name, p.Kind.ToString(), p.Province, p.RegionCode,
            [.. state.State.Members], state.State.CreatedAt, state.State.Verified);
    }
}
