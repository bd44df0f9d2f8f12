namespace TechTransfer.Accounts;

/// <summary>Stored under state name "account".</summary>
[GenerateSerializer, Alias("tt.AccountState")]
public sealed class AccountState
{
    [Id(0)] public AccountProfile? Profile { get; set; }
    [Id(1)] public string PasswordHash { get; set; } = "";
    // Ids 2 and 3 held the failure count and lockout end of the retired per-account lock (SignInThrottle replaced it).
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Carried in every token as the "tv" claim; sign-out and a password change raise it, revoking older tokens.</summary>
    [Id(5)] public int TokenVersion { get; set; }
}
