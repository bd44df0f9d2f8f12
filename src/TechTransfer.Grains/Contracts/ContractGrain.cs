using System.Globalization;
using Microsoft.Extensions.Logging;
using TechTransfer.Accounts;
using TechTransfer.Problems;
using TechTransfer.Storage;
using TechTransfer.Vocabulary;

namespace TechTransfer.Contracts;

public sealed class ContractGrain(
    [PersistentState("contract")] IPersistentState<ContractState> state,
    ContractProjection projection,
    TimeProvider clock,
    ILogger<ContractGrain> logger) : Grain, IContractGrain, IRemindable
{
    const string IndexReminder = "contract-amendments";
    static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);
    static readonly TimeSpan ReminderWait = TimeSpan.FromSeconds(2);

    ContractState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The list row may be behind the state (its write failed after the state's): rewriting it is harmless.
        if (S.Registration is not null) await WriteRowAsync();
        // The index may not have heard of an amendment (a silo died, the index was down); telling it again is harmless.
        if (S.Amendments.Any(a => ContractRules.IsAmountField(a.Field))) await ReportAmendmentsAsync();
    }

    public async Task<ContractView> CreateAsync(ContractRegistration registration)
    {
        if (S.Registration is { } existing)
            return existing.Number == registration.Number && existing.Facts.DealId == registration.Facts.DealId
                ? View()
                : throw new ProblemException(ProblemCodes.AlreadyExists);
        if (this.GetPrimaryKeyString() != ContractNumbers.GrainKey(registration.Number))
            throw new ArgumentException($"Contract {registration.Number} does not belong in grain {this.GetPrimaryKeyString()}.");
        S.Registration = registration;
        await SaveAsync(undo: () => S.Registration = null);
        return View();
    }

    public Task<ContractView?> GetAsync(Actor? viewer) =>
        Task.FromResult(S.Registration is { } r && ContractRules.MaySee(viewer, r.Facts) ? View() : null);

    public async Task<ContractView> AmendAsync(Actor actor, string field, string? newValue, string reason)
    {
        // Whoever may not see the contract learns nothing of it, not even that it exists.
        if (S.Registration is not { } registration || !ContractRules.MaySee(actor, registration.Facts))
            throw new ProblemException(ProblemCodes.NotFound);
        if (!ContractRules.MayRegisterOrAmend(actor, registration.Facts.RegionCode)) throw new ProblemException(ProblemCodes.Forbidden);

        var current = Effective();
        var (next, oldValue, value, why) = Validate(current, field, newValue, reason);
        var amendment = new ContractAmendment(S.Amendments.Count + 1, field, oldValue, value, why, clock.GetUtcNow(), actor.AccountId);
        var amounts = ContractRules.IsAmountField(field);
        // Before the amendment exists: if this silo dies before the index hears of it, the reminder tells it.
        if (amounts) await TryAsync(() => this.RegisterOrUpdateReminder(IndexReminder, RetryPeriod, RetryPeriod));
        S.Amendments.Add(amendment);
        await SaveAsync(undo: () => S.Amendments.Remove(amendment));
        if (amounts) await ReportAmendmentsAsync();
        return View();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == IndexReminder) await ReportAmendmentsAsync();
    }

    /// <summary>
    /// Sends every amount change to the trading index, which skips the ones it has counted; once it has them all
    /// the reminder goes. A failure leaves the reminder to try again: the amendment itself is stored.
    /// </summary>
    async Task ReportAmendmentsAsync()
    {
        var registration = S.Registration!;
        var changes = new List<AmountChange>();
        foreach (var a in S.Amendments.Where(a => ContractRules.IsAmountField(a.Field)))
        {
            var delta = Amount(a.NewValue) - Amount(a.OldValue);
            changes.Add(a.Field == ContractRules.ContractAmount ? new AmountChange(a.No, delta, 0m) : new AmountChange(a.No, 0m, delta));
        }
        try
        {
            if (changes.Count > 0) await TradingIndex.Get(GrainFactory).ApplyAmendmentsAsync(TradeEntry.Of(registration), [.. changes]);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Contract {Number}: the trading index did not take its amendments; retrying later", registration.Number);
            return;
        }
        await TryAsync(async () =>
        {
            if (await this.GetReminder(IndexReminder) is { } reminder) await this.UnregisterReminder(reminder);
        });

        static decimal Amount(string? value) => decimal.Parse(value!, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    (ContractContent Next, string? OldValue, string? NewValue, string Reason) Validate(
        ContractContent current, string? field, string? value, string? reason)
    {
        var v = new Validation();
        var why = v.Text("reason", reason, 500, multiline: true);
        if (string.IsNullOrWhiteSpace(field)) v.Fail("field", "required");
        else if (!ContractRules.AmendableFields.Contains(field)) v.Fail("field", "not-allowed", field.Length > 40 ? field[..40] + "…" : field);
        if (v.Errors.Any(e => e.Field == "field")) v.ThrowIfInvalid();

        var text = value?.Trim();
        if (ContractRules.IsAmountField(field!))
        {
            if (string.IsNullOrEmpty(text)) v.Fail("value", "required");
            else if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) v.Fail("value", "invalid-format");
            if (v.Errors.Any(e => e.Field == "value")) v.ThrowIfInvalid();
        }

        // The effective contract after the change must pass the rules a registration passes; a rule broken by the
        // changed field is reported on "value", one it breaks elsewhere (the amounts' order) on that field.
        ContractContent next;
        try
        {
            next = ContractInput.From(ContractRules.With(current, field!, text)).Validate(ChinaTime.Today(clock));
        }
        catch (ProblemException e) when (e.Code == ProblemCodes.Validation)
        {
            throw ProblemException.Invalid([.. v.Errors, .. e.Errors.Select(x => x.Field == field ? x with { Field = "value" } : x)]);
        }
        var oldValue = ContractRules.ValueOf(current, field!);
        var newValue = ContractRules.ValueOf(next, field!);
        // Compared as content, so 520 and 520.0 are the same amount.
        if (current.Equals(next)) v.Fail("value", "unchanged");
        v.ThrowIfInvalid();
        return (next, oldValue, newValue, why!);
    }

    ContractContent Effective() => ContractRules.Effective(S.Registration!.Content, S.Amendments);

    ContractView View()
    {
        var r = S.Registration!;
        return new ContractView(r.Number, r.Facts, r.Content, Effective(), r.RegisteredAt, r.RegisteredBy, [.. S.Amendments]);
    }

    /// <summary>
    /// The reminder is the safety net, not the path: an amendment is neither refused nor held for long because the
    /// reminder service is starting or away (the contract's next activation reports it, too).
    /// </summary>
    async Task TryAsync(Func<Task> reminderCall)
    {
        try
        {
            await reminderCall().WaitAsync(ReminderWait);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Contract {Number}: the reminder service did not answer", this.GetPrimaryKeyString());
        }
    }

    /// <summary>The state, then its row in tt_contract (GrainWrites' one write rule: the next activation repairs a failed row).</summary>
    Task SaveAsync(Action undo) => this.WriteStateThenAsync(state, WriteRowAsync, undo);

    Task WriteRowAsync() => projection.WriteAsync(S.Registration!, Effective(), S.Amendments.Count);
}
