using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using TechTransfer.Organizations;
using TechTransfer.Problems;
using TechTransfer.Vocabulary;

namespace TechTransfer.Accounts;

/// <summary>TechTransfer:Accounts. The sign-in throttle's numbers are explained on <see cref="SignInThrottle"/>.</summary>
public sealed class AccountOptions
{
    /// <summary>The national admin created from TechTransfer:AdminPassword; nobody else may take this name.</summary>
    public string BootstrapAdmin { get; set; } = "national-admin";

    public int FailuresBeforeBackoff { get; set; } = 3;
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);
}

public sealed class AccountGrain(
    [PersistentState("account")] IPersistentState<AccountState> state,
    IOptions<AccountOptions> options,
    TimeProvider clock) : Grain, IAccountGrain
{
    static readonly PasswordHasher<AccountState> Hasher = new();

    // Memory only: a restart forgets failures, which costs an attacker at most a fresh start of the backoff.
    readonly SignInThrottle throttle = new(options.Value);

    AccountState S => state.State;

    string Name => AccountKeys.NameOf(this.GetPrimaryKeyString());

    public async Task CreateAsync(AccountProfile profile, string password, bool mustChangePassword = false)
    {
        RefuseReservedName();
        await CreateCoreAsync(profile, password, mustChangePassword);
    }

    void RefuseReservedName()
    {
        var v = new Validation();
        if (ReservedAccountNames.IsReserved(Name, options.Value.BootstrapAdmin)) v.Fail("account", "reserved", Name);
        v.ThrowIfInvalid();
    }

    public async Task<OrganizationView> ApplyAsync(string displayName, OrganizationProfile organization, string? phone, string? email, string password)
    {
        RefuseReservedName();
        string organizationId;
        if (state.RecordExists)
        {
            // Only the applicant's own retry gets past a taken name: the same application and the same password.
            var earlier = S.Application;
            var same = earlier is not null && earlier.Organization == organization && earlier.Phone == phone && earlier.Email == email
                && S.Profile!.DisplayName == displayName && Hasher.VerifyHashedPassword(S, S.PasswordHash, password) != PasswordVerificationResult.Failed;
            if (!same) throw new ProblemException(ProblemCodes.AlreadyExists);
            organizationId = earlier!.OrganizationId;
        }
        else
        {
            // The name is reserved before the organization exists: an attempt cut short here leaves an account whose
            // retry completes it, never an organization without its admin.
            organizationId = "org-" + Guid.CreateVersion7().ToString("N");
            S.Profile = new AccountProfile(displayName, organizationId, organization.Kind, Role.OrganizationAdmin);
            S.PasswordHash = Hasher.HashPassword(S, password);
            S.CreatedAt = clock.GetUtcNow();
            S.Application = new AccountApplication(organizationId, organization, phone, email);
            await WriteOrDropAsync();
        }
        return await GrainFactory.GetGrain<IOrganizationGrain>(organizationId).ApplyAsync(organization, phone, email, this.GetPrimaryKeyString());
    }

    public async Task ResetPasswordAsync(string temporaryPassword)
    {
        if (!state.RecordExists) throw new ProblemException(ProblemCodes.NotFound);
        S.PasswordHash = Hasher.HashPassword(S, temporaryPassword);
        S.MustChangePassword = true;
        S.TokenVersion++;
        await WriteOrDropAsync();
    }

    public async Task<SignInResult> SetDisplayNameAsync(string displayName)
    {
        if (!state.RecordExists) throw new ProblemException(ProblemCodes.NotFound);
        if (S.Profile!.DisplayName != displayName)
        {
            S.Profile = S.Profile with { DisplayName = displayName };
            await WriteOrDropAsync();
        }
        return Success();
    }

    public Task<AccountSummary?> GetSummaryAsync() => Task.FromResult(state.RecordExists
        ? new AccountSummary(this.GetPrimaryKeyString(), Name, S.Profile!.DisplayName, S.Profile.OrganizationId, S.Profile.Role,
            S.MustChangePassword, S.CreatedAt)
        : null);

    public async Task<BootstrapResult> CreateBootstrapAdminAsync(AccountProfile profile, string password)
    {
        if (Name != options.Value.BootstrapAdmin.Trim().ToLowerInvariant())
            throw new InvalidOperationException($"'{Name}' is not the configured bootstrap admin");
        if (state.RecordExists) return new BootstrapResult(S.Profile!, Created: false);
        await CreateCoreAsync(profile, password);
        return new BootstrapResult(profile, Created: true);
    }

    async Task CreateCoreAsync(AccountProfile profile, string password, bool mustChangePassword = false)
    {
        if (state.RecordExists) throw new ProblemException(ProblemCodes.AlreadyExists);
        var v = new Validation();
        if (string.IsNullOrEmpty(password) || password.Length < 10) v.Fail("password", "range", "10–128");
        v.ThrowIfInvalid();
        S.Profile = profile;
        S.PasswordHash = Hasher.HashPassword(S, password);
        S.CreatedAt = clock.GetUtcNow();
        S.MustChangePassword = mustChangePassword;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IOrganizationGrain>(profile.OrganizationId).AddMemberAsync(this.GetPrimaryKeyString());
    }

    public async Task<SignInResult> SignInAsync(string password, string source)
    {
        var (verdict, refusal) = Check(password, source);
        if (refusal is not null) return refusal;
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            S.PasswordHash = Hasher.HashPassword(S, password);
            await state.WriteStateAsync();
        }
        return Success();
    }

    public async Task<SignInResult> ChangePasswordAsync(string currentPassword, string newPassword, string source)
    {
        var (_, refusal) = Check(currentPassword, source);
        if (refusal is not null) return refusal;
        S.PasswordHash = Hasher.HashPassword(S, newPassword);
        S.MustChangePassword = false;
        S.TokenVersion++;
        await WriteOrDropAsync();
        return Success();
    }

    /// <summary>The password check every sign-in path shares; a refusal says whether the source must wait.</summary>
    (PasswordVerificationResult Verdict, SignInResult? Refusal) Check(string password, string source)
    {
        var now = clock.GetUtcNow();
        if (!state.RecordExists)
        {
            // Same cost as a real check, so response time does not reveal which accounts exist.
            Hasher.VerifyHashedPassword(S, DummyHash, password);
            return (PasswordVerificationResult.Failed, new SignInResult(null, null, null));
        }
        // A source that is waiting is not even checked: its attempt only makes it wait longer.
        if (throttle.WaitUntil(source, now) is not null) return (PasswordVerificationResult.Failed, new SignInResult(null, null, throttle.Fail(source, now)));

        var verdict = Hasher.VerifyHashedPassword(S, S.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed) return (verdict, new SignInResult(null, null, throttle.Fail(source, now)));
        throttle.Succeeded(source);
        return (verdict, null);
    }

    SignInResult Success() => new(ActorOf(), S.Profile!.DisplayName, null, S.TokenVersion, S.MustChangePassword);

    public async Task<int> RevokeTokensAsync()
    {
        if (!state.RecordExists) return 0;
        S.TokenVersion++;
        await WriteOrDropAsync();
        return S.TokenVersion;
    }

    // A revocation that did not reach PostgreSQL must not live on in memory only: the caller is told it failed,
    // and the next activation reads what is stored.
    async Task WriteOrDropAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    // Tokens exist only for accounts this platform signed in (or, in the trading tests, issued with its own key).
    public Task<int> GetTokenVersionAsync() => Task.FromResult(S.TokenVersion);

    public Task<Actor?> GetActorAsync() => Task.FromResult(state.RecordExists ? ActorOf() : null);

    public Task<string?> GetDisplayNameAsync() => Task.FromResult(state.RecordExists ? S.Profile?.DisplayName : null);

    Actor ActorOf()
    {
        var p = S.Profile!;
        return new Actor(this.GetPrimaryKeyString(), p.OrganizationId, p.OrganizationKind, p.Role, p.RegionCode);
    }

    static readonly string DummyHash = Hasher.HashPassword(new AccountState(), Guid.NewGuid().ToString());
}
