using TechTransfer.Accounts;

namespace TechTransfer.Contracts;

/// <summary>One per regional center (key = region code, e.g. "yangtze-delta"): registers the center's contracts and numbers them.</summary>
[Alias("tt.IContractRegistryGrain")]
public interface IContractRegistryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers the contract of one deal. Idempotent per dealId: a repeat returns the first registration unchanged.
    /// The caller (the deal grain) has already checked that the actor is the broker leading the deal; the registry
    /// checks again that the actor is staff of this center (or national), that facts.RegionCode is this center,
    /// and the content against <see cref="ContractInput.Validate"/>'s rules.
    /// </summary>
    [Alias("RegisterAsync")]
    Task<ContractView> RegisterAsync(Actor actor, ContractFacts facts, ContractContent content);

    /// <summary>
    /// Delivers what this registry issued but has not yet seen stored everywhere (contract grain, deal link, trading index).
    /// Runs by itself on activation, after each registration and on a reminder; idempotent. Returns how many remain.
    /// </summary>
    [Alias("FlushAsync")]
    Task<int> FlushAsync();
}
