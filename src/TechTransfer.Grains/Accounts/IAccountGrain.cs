using Orleans.Concurrency;
using TechTransfer.Vocabulary;

namespace TechTransfer.Accounts;

/// <summary>One per sign-in account; key = "acct-" + account name. Holds the password hash and the token version.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the account in its organization; the password is hashed here and never stored in clear. Reserved
    /// names (<see cref="ReservedAccountNames"/>) are refused.
    /// </summary>
    Task CreateAsync(AccountProfile profile, string password);

    /// <summary>
    /// Creates the bootstrap national admin if this account does not exist (only under the configured bootstrap
    /// name). Returns who holds the name afterwards and whether this call created it.
    /// </summary>
    Task<BootstrapResult> CreateBootstrapAdminAsync(AccountProfile profile, string password);

    /// <summary>Checks the password; failures slow down their <paramref name="source"/> (<see cref="SignInThrottle"/>), not the account.</summary>
    Task<SignInResult> SignInAsync(string password, string source);

    /// <summary>Replaces the password (the current one is checked as a sign-in) and revokes every earlier token.</summary>
    Task<SignInResult> ChangePasswordAsync(string currentPassword, string newPassword, string source);

    /// <summary>Revokes every token issued so far (sign-out). Returns the new token version.</summary>
    Task<int> RevokeTokensAsync();

    /// <summary>
    /// The version a token must carry to be honoured (0 until the first revocation). Asked on every authenticated
    /// request: it reads memory only, so it interleaves with the hashing of a sign-in.
    /// </summary>
    [AlwaysInterleave]
    Task<int> GetTokenVersionAsync();

    /// <summary>The actor this account acts as, or null if the account does not exist.</summary>
    Task<Actor?> GetActorAsync();

    /// <summary>The name people see for this account (e.g. 王经纪), or null if the account does not exist.</summary>
    Task<string?> GetDisplayNameAsync();
}

[GenerateSerializer, Immutable, Alias("tt.AccountProfile")]
public sealed record AccountProfile(
    string DisplayName, string OrganizationId, OrganizationKind OrganizationKind, Role Role, string? RegionCode = null);

/// <summary>A sign-in's outcome: the actor and token version on success, or until when the source must wait.</summary>
[GenerateSerializer, Immutable, Alias("tt.SignInResult")]
public sealed record SignInResult(Actor? Actor, string? DisplayName, DateTimeOffset? WaitUntil, int TokenVersion = 0)
{
    public bool Succeeded => Actor is not null;
}

[GenerateSerializer, Immutable, Alias("tt.BootstrapResult")]
public sealed record BootstrapResult(AccountProfile Holder, bool Created);

public static class AccountKeys
{
    public static string Of(string accountName) => "acct-" + accountName.Trim().ToLowerInvariant();

    public static string NameOf(string accountId) => accountId.StartsWith("acct-", StringComparison.Ordinal) ? accountId[5..] : accountId;
}
