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

    /// <summary>Set by a password someone else chose (a reset, an invitation): every token says so until it is changed.</summary>
    [Id(6)] public bool MustChangePassword { get; set; }

    /// <summary>What this account applied for when it reserved its name (机构入驻申请), so a retry can finish the same application.</summary>
    [Id(7)] public AccountApplication? Application { get; set; }
}

/// <summary>The organization an applicant account applied for; its id was chosen when the name was reserved.</summary>
[GenerateSerializer, Immutable, Alias("tt.AccountApplication")]
public sealed record AccountApplication(string OrganizationId, Organizations.OrganizationProfile Organization, string? Phone, string? Email);
