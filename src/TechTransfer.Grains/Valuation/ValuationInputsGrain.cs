using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Problems;

namespace TechTransfer.Valuation;

/// <summary>
/// One per achievement; key = the achievement id. Holds the seller's inputs to the income and replacement-cost
/// methods: private to the owner's organization, the centers' staff and the national level (<see cref="ValuationRules"/>).
/// </summary>
[Alias("tt.IValuationInputsGrain")]
public interface IValuationInputsGrain : IGrainWithStringKey
{
    /// <summary>The inputs, or null when none were given; refused (404/403) to whoever may not see the valuation.</summary>
    [Alias("GetAsync")]
    Task<ValuationInputs?> GetAsync(Actor viewer);

    /// <summary>Replaces the inputs (null for a method clears it). Only the owner's organization (or national).</summary>
    [Alias("SetAsync")]
    Task<ValuationInputs?> SetAsync(Actor actor, IncomeInputs? income, ReplacementCostInputs? replacementCost);
}

/// <summary>Stored under state name "valuation-inputs".</summary>
[GenerateSerializer, Alias("tt.ValuationInputsState")]
public sealed class ValuationInputsState
{
    [Id(0)] public ValuationInputs? Inputs { get; set; }
}

public sealed class ValuationInputsGrain(
    [PersistentState("valuation-inputs")] IPersistentState<ValuationInputsState> state, TimeProvider clock) : Grain, IValuationInputsGrain
{
    public async Task<ValuationInputs?> GetAsync(Actor viewer)
    {
        var owner = await OwnerAsync(viewer);
        if (!ValuationRules.MayView(viewer, owner)) throw new ProblemException(ProblemCodes.Forbidden);
        return state.State.Inputs;
    }

    public async Task<ValuationInputs?> SetAsync(Actor actor, IncomeInputs? income, ReplacementCostInputs? replacementCost)
    {
        var owner = await OwnerAsync(actor);
        if (!ValuationRules.MayEditInputs(actor, owner)) throw new ProblemException(ProblemCodes.Forbidden);
        var previous = state.State.Inputs;
        // The same inputs again (a retried request) change nothing, not even who gave them when.
        if (previous?.Income == income && previous?.ReplacementCost == replacementCost) return previous;
        state.State.Inputs = income is null && replacementCost is null ? null
            : new ValuationInputs(income, replacementCost, clock.GetUtcNow(), actor.AccountId);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Inputs = previous;
            DeactivateOnIdle();
            throw;
        }
        return state.State.Inputs;
    }

    /// <summary>The achievement's owner, or 404 when <paramref name="actor"/> may not see the achievement at all.</summary>
    async Task<string> OwnerAsync(Actor actor) =>
        (await GrainFactory.GetGrain<IAchievementGrain>(this.GetPrimaryKeyString()).GetAsync(actor))?.OwnerOrganizationId
        ?? throw new ProblemException(ProblemCodes.NotFound);
}

/// <summary>Who sees price guidance and who gives the seller's inputs.</summary>
public static class ValuationRules
{
    /// <summary>A broker or admin of any regional center: brokers price deals wherever the parties are.</summary>
    public static bool IsCenterStaff(Actor actor) =>
        actor.OrganizationKind == Vocabulary.OrganizationKind.ServiceCenter && actor.Role is Vocabulary.Role.Broker or Vocabulary.Role.CenterAdmin;

    /// <summary>The owner's organization, the centers' staff and the national level; nobody else (another enterprise gets 403).</summary>
    public static bool MayView(Actor actor, string ownerOrganizationId) => actor.MayEditListingsOf(ownerOrganizationId) || IsCenterStaff(actor);

    /// <summary>The seller's inputs are the seller's: its organization's members (and national admins, as for its listings).</summary>
    public static bool MayEditInputs(Actor actor, string ownerOrganizationId) => actor.MayEditListingsOf(ownerOrganizationId);
}
