namespace TechTransfer.Contracts;

/// <summary>
/// One per deal whose contract is registered; key = "cbd-" + deal id. Remembers the registration number, so a
/// repeated registration of the deal returns the first one long after the registry's outbox has forgotten it.
/// </summary>
[Alias("tt.IContractByDealGrain")]
public interface IContractByDealGrain : IGrainWithStringKey
{
    [Alias("GetAsync")]
    Task<string?> GetAsync();

    /// <summary>Records the number; the same number again is a no-op, a different one is refused.</summary>
    [Alias("SetAsync")]
    Task SetAsync(string number);
}

/// <summary>Stored under state name "contract-by-deal".</summary>
[GenerateSerializer, Alias("tt.ContractByDealState")]
public sealed class ContractByDealState
{
    [Id(0)] public string? Number { get; set; }
}

public sealed class ContractByDealGrain(
    [PersistentState("contract-by-deal")] IPersistentState<ContractByDealState> state) : Grain, IContractByDealGrain
{
    public static string Key(string dealId) => "cbd-" + dealId;

    public Task<string?> GetAsync() => Task.FromResult(state.State.Number);

    public async Task SetAsync(string number)
    {
        if (state.State.Number == number) return;
        if (state.State.Number is not null)
            throw new InvalidOperationException($"{this.GetPrimaryKeyString()} already has contract {state.State.Number}, not {number}.");
        state.State.Number = number;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Number = null;
            DeactivateOnIdle();
            throw;
        }
    }
}
