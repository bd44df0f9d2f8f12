using TechTransfer.Vocabulary;

namespace TechTransfer.Accounts;

/// <summary>One per sign-in account; key = "acct-" + account name. Holds the password hash and lockout.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account in its organization; the password is hashed here and never stored in clear.</summary>
    Task CreateAsync(AccountProfile profile, string password);

    /// <summary>Checks the password, counting failures towards a temporary lockout.</summary>
    Task<SignInResult> SignInAsync(string password);

    /// <summary>The actor this account acts as, or null if the account does not exist.</summary>
    Task<Actor?> GetActorAsync();

    /// <summary>The name people see for this account (e.g. 王经纪), or null if the account does not exist.</summary>
    Task<string?> GetDisplayNameAsync();
}

[GenerateSerializer, Immutable, Alias("tt.AccountProfile")]
public sealed record AccountProfile(
    string DisplayName, string OrganizationId, OrganizationKind OrganizationKind, Role Role, string? RegionCode = null);

[GenerateSerializer, Immutable, Alias("tt.SignInResult")]
public sealed record SignInResult(Actor? Actor, string? DisplayName, DateTimeOffset? LockedUntil)
{
    public bool Succeeded => Actor is not null;
}

public static class AccountKeys
{
    public static string Of(string accountName) => "acct-" + accountName.Trim().ToLowerInvariant();
}
