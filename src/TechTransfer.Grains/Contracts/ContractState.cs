namespace TechTransfer.Contracts;

/// <summary>Stored under state name "contract". The registration is written once; amendments are only appended.</summary>
[GenerateSerializer, Alias("tt.ContractState")]
public sealed class ContractState
{
    [Id(0)] public ContractRegistration? Registration { get; set; }
    [Id(1)] public List<ContractAmendment> Amendments { get; set; } = [];
}
