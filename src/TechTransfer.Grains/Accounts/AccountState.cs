namespace TechTransfer.Accounts;

/// <summary>Stored under state name "account".</summary>
[GenerateSerializer, Alias("tt.AccountState")]
public sealed class AccountState
{
    [Id(0)] public AccountProfile? Profile { get; set; }
    [Id(1)] public string PasswordHash { get; set; } = "";
    [Id(2)] public int FailedSignIns { get; set; }
    [Id(3)] public DateTimeOffset? LockedUntil { get; set; }
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
}
