using TechTransfer.Accounts;

namespace TechTransfer.Contracts;

/// <summary>
/// One per registered 技术合同; key = "tc-" + registration number (use <see cref="ContractNumbers.Contract"/>).
/// The registration never changes; corrections are appended as amendments.
/// </summary>
[Alias("tt.IContractGrain")]
public interface IContractGrain : IGrainWithStringKey
{
    /// <summary>Stores the registration the registry issued. Called by the registry only; a repeat returns what is stored.</summary>
    [Alias("CreateAsync")]
    Task<ContractView> CreateAsync(ContractRegistration registration);

    /// <summary>
    /// The contract as <paramref name="viewer"/> may see it: members of either party's organization, staff of the
    /// registering center and national admins; null for anyone else, and when there is no such contract.
    /// </summary>
    [Alias("GetAsync")]
    Task<ContractView?> GetAsync(Actor? viewer);

    /// <summary>
    /// Appends a correction of one field (contractAmount, techTransactionAmount, seller, buyer or note) with its reason.
    /// Only the registering center's brokers and national admins amend; the original registration stays as it was.
    /// </summary>
    [Alias("AmendAsync")]
    Task<ContractView> AmendAsync(Actor actor, string field, string? newValue, string reason);
}

/// <summary>A registration as the registry issued it: the number, what the deal knows, what was registered, by whom and when.</summary>
[GenerateSerializer, Immutable, Alias("tt.ContractRegistration")]
public sealed record ContractRegistration(
    string Number, ContractFacts Facts, ContractContent Content, DateTimeOffset RegisteredAt, string RegisteredBy);

/// <summary>One correction: field, the effective value before and after, why, who and when. Values are invariant text.</summary>
[GenerateSerializer, Immutable, Alias("tt.ContractAmendment")]
public sealed record ContractAmendment(
    int No, string Field, string? OldValue, string? NewValue, string Reason, DateTimeOffset AmendedAt, string AmendedBy);

/// <summary>
/// A registered contract: <see cref="Content"/> is the original registration, <see cref="Effective"/> the original with
/// every amendment applied in order.
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.ContractView")]
public sealed record ContractView(
    string Number,
    ContractFacts Facts,
    ContractContent Content,
    ContractContent Effective,
    DateTimeOffset RegisteredAt,
    string RegisteredBy,
    ContractAmendment[] Amendments);
