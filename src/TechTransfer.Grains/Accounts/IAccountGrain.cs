using Orleans.Concurrency;
using TechTransfer.Organizations;
using TechTransfer.Vocabulary;

namespace TechTransfer.Accounts;

/// <summary>One per sign-in account; key = "acct-" + account name. Holds the password hash and the token version.</summary>
[Alias("tt.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the account in its organization; the password is hashed here and never stored in clear. Reserved
    /// names (<see cref="ReservedAccountNames"/>) are refused.
    /// </summary>
    [Alias("CreateAsync")]
    Task CreateAsync(AccountProfile profile, string password, bool mustChangePassword = false);

    /// <summary>
    /// An organization applies to join with this account as its first admin (机构入驻申请). The account name is
    /// reserved first (the account is written with the application), then the organization is created pending. A
    /// retry with the same application and password finishes what an interrupted attempt began; anything else on a
    /// taken name is already-exists, and reserved names are refused.
    /// </summary>
    [Alias("ApplyAsync")]
    Task<OrganizationView> ApplyAsync(string displayName, OrganizationProfile organization, string? phone, string? email, string password);

    /// <summary>Sets a temporary password chosen by an admin: every token is revoked and the account must change it at sign-in.</summary>
    [Alias("ResetPasswordAsync")]
    Task ResetPasswordAsync(string temporaryPassword);

    /// <summary>Changes the name people see; answers like a sign-in, so the caller can be given a token with the new name.</summary>
    [Alias("SetDisplayNameAsync")]
    Task<SignInResult> SetDisplayNameAsync(string displayName);

    /// <summary>Who the account is, for its organization's member list; null if it does not exist.</summary>
    [Alias("GetSummaryAsync")]
    Task<AccountSummary?> GetSummaryAsync();

    /// <summary>
    /// Creates the bootstrap national admin if this account does not exist (only under the configured bootstrap
    /// name). Returns who holds the name afterwards and whether this call created it.
    /// </summary>
    [Alias("CreateBootstrapAdminAsync")]
    Task<BootstrapResult> CreateBootstrapAdminAsync(AccountProfile profile, string password);

    /// <summary>Checks the password; failures slow down their <paramref name="source"/> (<see cref="SignInThrottle"/>), not the account.</summary>
    [Alias("SignInAsync")]
    Task<SignInResult> SignInAsync(string password, string source);

    /// <summary>Replaces the password (the current one is checked as a sign-in) and revokes every earlier token.</summary>
    [Alias("ChangePasswordAsync")]
    Task<SignInResult> ChangePasswordAsync(string currentPassword, string newPassword, string source);

    /// <summary>Revokes every token issued so far (sign-out). Returns the new token version.</summary>
    [Alias("RevokeTokensAsync")]
    Task<int> RevokeTokensAsync();

    /// <summary>
    /// The version a token must carry to be honoured (0 until the first revocation). Asked on every authenticated
    /// request: it reads memory only, so it interleaves with the hashing of a sign-in.
    /// </summary>
    [AlwaysInterleave]
    [Alias("GetTokenVersionAsync")]
    Task<int> GetTokenVersionAsync();

    /// <summary>The actor this account acts as, or null if the account does not exist.</summary>
    [Alias("GetActorAsync")]
    Task<Actor?> GetActorAsync();

    /// <summary>The name people see for this account (e.g. 王经纪), or null if the account does not exist.</summary>
    [Alias("GetDisplayNameAsync")]
    Task<string?> GetDisplayNameAsync();
}

[GenerateSerializer, Immutable, Alias("tt.AccountProfile")]
public sealed record AccountProfile(
    string DisplayName, string OrganizationId, OrganizationKind OrganizationKind, Role Role, string? RegionCode = null);

/// <summary>A sign-in's outcome: the actor and token version on success, or until when the source must wait.</summary>
[GenerateSerializer, Immutable, Alias("tt.SignInResult")]
public sealed record SignInResult(Actor? Actor, string? DisplayName, DateTimeOffset? WaitUntil, int TokenVersion = 0, bool MustChangePassword = false)
{
    public bool Succeeded => Actor is not null;
}

/// <summary>An account as its organization's member list shows it.</summary>
[GenerateSerializer, Immutable, Alias("tt.AccountSummary")]
public sealed record AccountSummary(
    string AccountId, string Account, string DisplayName, string OrganizationId, Role Role, bool MustChangePassword, DateTimeOffset CreatedAt);

[GenerateSerializer, Immutable, Alias("tt.BootstrapResult")]
public sealed record BootstrapResult(AccountProfile Holder, bool Created);

public static class AccountKeys
{
    public static string Of(string accountName) => "acct-" + accountName.Trim().ToLowerInvariant();

    public static string NameOf(string accountId) => accountId.StartsWith("acct-", StringComparison.Ordinal) ? accountId[5..] : accountId;
}
