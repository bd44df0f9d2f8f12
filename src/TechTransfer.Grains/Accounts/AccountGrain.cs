using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TechTransfer.Organizations;
using TechTransfer.Problems;

namespace TechTransfer.Accounts;

public sealed class AccountOptions
{
    public int MaxFailedSignIns { get; set; } = 5;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class AccountGrain(
    [PersistentState("account")] IPersistentState<AccountState> state,
    IOptions<AccountOptions> options,
    TimeProvider clock) : Grain, IAccountGrain
{
    static readonly PasswordHasher<AccountState> Hasher = new();

    AccountState S => state.State;

    public async Task CreateAsync(AccountProfile profile, string password)
    {
        if (state.RecordExists) throw new ProblemException(ProblemCodes.AlreadyExists);
        var v = new Validation();
        if (string.IsNullOrEmpty(password) || password.Length < 10) v.Fail("password", "range", "10–128");
        v.ThrowIfInvalid();
        S.Profile = profile;
        S.PasswordHash = Hasher.HashPassword(S, password);
        S.CreatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IOrganizationGrain>(profile.OrganizationId).AddMemberAsync(this.GetPrimaryKeyString());
    }

    public async Task<SignInResult> SignInAsync(string password)
    {
        var now = clock.GetUtcNow();
        if (!state.RecordExists)
        {
            // Same cost as a real check, so response time does not reveal which accounts exist.
            Hasher.VerifyHashedPassword(S, DummyHash, password);
            return new SignInResult(null, null, null);
        }
        if (S.LockedUntil > now) return new SignInResult(null, null, S.LockedUntil);

        var verdict = Hasher.VerifyHashedPassword(S, S.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            S.FailedSignIns++;
            if (S.FailedSignIns >= options.Value.MaxFailedSignIns)
            {
                S.LockedUntil = now + options.Value.LockoutDuration;
                S.FailedSignIns = 0;
            }
            await state.WriteStateAsync();
            return new SignInResult(null, null, S.LockedUntil > now ? S.LockedUntil : null);
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) S.PasswordHash = Hasher.HashPassword(S, password);
        if (S.FailedSignIns > 0 || S.LockedUntil is not null || verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            S.FailedSignIns = 0;
            S.LockedUntil = null;
            await state.WriteStateAsync();
        }
        return new SignInResult(ActorOf(), S.Profile!.DisplayName, null);
    }

    public Task<Actor?> GetActorAsync() => Task.FromResult(state.RecordExists ? ActorOf() : null);

    public Task<string?> GetDisplayNameAsync() => Task.FromResult(state.RecordExists ? S.Profile?.DisplayName : null);

    Actor ActorOf()
    {
        var p = S.Profile!;
        return new Actor(this.GetPrimaryKeyString(), p.OrganizationId, p.OrganizationKind, p.Role, p.RegionCode);
    }

    static readonly string DummyHash = Hasher.HashPassword(new AccountState(), Guid.NewGuid().ToString());
}
