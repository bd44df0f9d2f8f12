using Microsoft.Extensions.Logging;
using TechTransfer.Accounts;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Vocabulary;

namespace TechTransfer.Contracts;

/// <summary>
/// Numbers a center's contracts and hands each registration on: first to its own row (the number is then issued),
/// then to the contract grain and the deal's link, then to the national trading index. The last three are
/// idempotent, so the outbox is simply delivered again — after each registration, on activation and on a standing
/// reminder — until the index confirms it.
/// </summary>
public sealed class ContractRegistryGrain(
    [PersistentState("contract-registry")] IPersistentState<ContractRegistryState> state,
    RegionDirectory regions,
    TimeProvider clock,
    ILogger<ContractRegistryGrain> logger) : Grain, IContractRegistryGrain, IRemindable
{
    const string OutboxReminder = "contract-outbox";
    static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1); // the shortest reminder period Orleans allows

    ContractRegistryState S => state.State;

    string Code => this.GetPrimaryKeyString();

    int center;
    bool outboxChanged; // confirmed entries were dropped in memory but not yet in the stored row
    IGrainTimer? reminderSetup;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (regions.Find(Code) is null) throw new ProblemException(ProblemCodes.NotFound);
        center = ContractNumbers.CenterNumber(regions, Code);
        // The standing reminder wakes this registry after a crash even if nobody calls it. Set up beside the calls
        // (interleaved), so a reminder service still starting up never holds a registration back.
        reminderSetup = this.RegisterGrainTimer(EnsureReminderAsync, new GrainTimerCreationOptions(TimeSpan.Zero, RetryPeriod) { Interleave = true });
        if (S.Outbox.Count > 0) await FlushAsync(); // what the last activation left undelivered
    }

    public async Task<ContractView> RegisterAsync(Actor actor, ContractFacts facts, ContractContent content)
    {
        if (!ContractRules.MayRegister(actor, Code, facts)) throw new ProblemException(ProblemCodes.Forbidden);
        facts.Validate(Code, regions);
        var today = ChinaTime.Today(clock);
        content = ContractInput.From(content).Validate(today); // the form's rules, however the content was built

        var issued = S.Outbox.FirstOrDefault(r => r.Facts.DealId == facts.DealId);
        if (issued is null && await Link(facts.DealId).GetAsync() is { } number)
            return await GrainFactory.Contract(number).GetAsync(actor)
                ?? throw new InvalidOperationException($"Deal {facts.DealId} links to contract {number}, which is missing.");
        issued ??= await IssueAsync(actor, facts, content, today);

        var view = await DeliverAsync(issued);
        await IndexAsync();
        return view;
    }

    public async Task<int> FlushAsync()
    {
        try
        {
            foreach (var registration in S.Outbox.ToList()) await DeliverAsync(registration);
            await IndexAsync();
            if (outboxChanged)
            {
                await state.WriteStateAsync();
                outboxChanged = false;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Contract registry {Region}: {Count} registrations still to deliver", Code, S.Outbox.Count);
        }
        return S.Outbox.Count;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == OutboxReminder && (S.Outbox.Count > 0 || outboxChanged)) await FlushAsync();
    }

    async Task EnsureReminderAsync(CancellationToken cancellationToken)
    {
        try
        {
            await this.RegisterOrUpdateReminder(OutboxReminder, RetryPeriod, RetryPeriod);
            reminderSetup?.Dispose();
            reminderSetup = null;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Contract registry {Region}: no reminder yet, trying again in {Period}", Code, RetryPeriod);
        }
    }

    /// <summary>Takes the next number and stores it with the registration before anything else happens.</summary>
    async Task<ContractRegistration> IssueAsync(Actor actor, ContractFacts facts, ContractContent content, DateOnly today)
    {
        // Never back in time, even on a silo whose clock is behind at New Year.
        var year = Math.Max(today.Year, S.Year);
        var sequence = (year == S.Year ? S.LastSequence : 0) + 1;
        if (sequence > ContractNumbers.MaxSequence) throw new ProblemException(ProblemCodes.Unavailable);
        var issued = new ContractRegistration(ContractNumbers.Format(year, center, sequence), facts, content, clock.GetUtcNow(), actor.AccountId);

        var (lastYear, lastSequence) = (S.Year, S.LastSequence);
        S.Year = year;
        S.LastSequence = sequence;
        S.Outbox.Add(issued);
        try
        {
            await state.WriteStateAsync();
            outboxChanged = false;
        }
        catch
        {
            // Not issued. If it was stored after all, the next activation finds it in the outbox and delivers it.
            S.Year = lastYear;
            S.LastSequence = lastSequence;
            S.Outbox.Remove(issued);
            DeactivateOnIdle();
            throw;
        }
        return issued;
    }

    /// <summary>The contract grain and the deal's link; both idempotent. Failing here fails the registration call.</summary>
    async Task<ContractView> DeliverAsync(ContractRegistration registration)
    {
        var view = await GrainFactory.Contract(registration.Number).CreateAsync(registration);
        await Link(registration.Facts.DealId).SetAsync(registration.Number);
        return view;
    }

    /// <summary>
    /// Sends the whole outbox, in number order, to the index, which skips what it already counted; what it confirms
    /// leaves the outbox. A failure here does not fail the registration: the contract is stored and will be counted.
    /// </summary>
    async Task IndexAsync()
    {
        if (S.Outbox.Count == 0) return;
        try
        {
            var mark = await TradingIndex.Get(GrainFactory).ApplyRegistrationsAsync(Code, [.. S.Outbox.Select(TradeEntry.Of)]);
            if (S.Outbox.RemoveAll(r => string.CompareOrdinal(r.Number, mark) <= 0) > 0) outboxChanged = true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Contract registry {Region}: the trading index did not take {Count} registrations; retrying later",
                Code, S.Outbox.Count);
        }
    }

    IContractByDealGrain Link(string dealId) => GrainFactory.GetGrain<IContractByDealGrain>(ContractByDealGrain.Key(dealId));
}
