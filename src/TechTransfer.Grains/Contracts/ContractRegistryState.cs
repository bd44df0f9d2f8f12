namespace TechTransfer.Contracts;

/// <summary>
/// Stored under state name "contract-registry": the last number issued (year and sequence) and the outbox of
/// registrations issued but not yet confirmed by the trading index. Issued numbers are in this row before anyone
/// hears of them, so a number is never issued twice and never skipped.
/// </summary>
[GenerateSerializer, Alias("tt.ContractRegistryState")]
public sealed class ContractRegistryState
{
    [Id(0)] public int Year { get; set; }
    [Id(1)] public int LastSequence { get; set; }
    [Id(2)] public List<ContractRegistration> Outbox { get; set; } = [];
}
