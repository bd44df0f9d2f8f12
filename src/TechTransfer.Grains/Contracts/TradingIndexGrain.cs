using Microsoft.Extensions.Configuration;
using TechTransfer.RegionalCenters;
using TechTransfer.Vocabulary;

namespace TechTransfer.Contracts;

public sealed class TradingIndexGrain(
    [PersistentState("trading-index")] IPersistentState<TradingIndexState> state,
    RegionDirectory regions,
    IConfiguration configuration,
    TimeProvider clock) : Grain, ITradingIndexGrain
{
    TradingIndexState S => state.State;

    string defaultBase = TradingRange.DefaultBaseMonth;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        defaultBase = configuration["TechTransfer:TradingIndex:BaseMonth"] ?? TradingRange.DefaultBaseMonth;
        TradingRange.Parse(null, null, defaultBase, ChinaTime.Today(clock), defaultBase); // a bad setting fails here, loudly
        return Task.CompletedTask;
    }

    public async Task<string?> ApplyRegistrationsAsync(string regionCode, TradeEntry[] registrations)
    {
        var mark = S.Applied.GetValueOrDefault(regionCode);
        var fresh = registrations
            .Where(r => string.CompareOrdinal(r.Number, mark) > 0)
            .OrderBy(r => r.Number, StringComparer.Ordinal)
            .ToList();
        if (fresh.Count == 0) return mark;
        if (fresh.Any(r => r.RegionCode != regionCode))
            throw new ArgumentException($"A registration of another center was sent as one of {regionCode}.", nameof(registrations));

        foreach (var r in fresh) S.Add(r, 1, r.ContractAmount, r.TechTransactionAmount);
        S.Applied[regionCode] = fresh[^1].Number;
        await SaveAsync(undo: () =>
        {
            foreach (var r in fresh) S.Add(r, -1, -r.ContractAmount, -r.TechTransactionAmount);
            if (mark is null) S.Applied.Remove(regionCode);
            else S.Applied[regionCode] = mark;
        });
        return S.Applied[regionCode];
    }

    public async Task ApplyAmendmentsAsync(TradeEntry contract, AmountChange[] changes)
    {
        var applied = S.AmendmentsApplied.GetValueOrDefault(contract.Number);
        var fresh = changes.Where(c => c.No > applied).OrderBy(c => c.No).ToList();
        if (fresh.Count == 0) return;

        // Only the amounts move: the contract was counted once, when it registered.
        foreach (var c in fresh) S.Add(contract, 0, c.ContractAmount, c.TechTransactionAmount);
        S.AmendmentsApplied[contract.Number] = fresh[^1].No;
        await SaveAsync(undo: () =>
        {
            foreach (var c in fresh) S.Add(contract, 0, -c.ContractAmount, -c.TechTransactionAmount);
            if (applied == 0) S.AmendmentsApplied.Remove(contract.Number);
            else S.AmendmentsApplied[contract.Number] = applied;
        });
    }

    public Task<TradingIndexView> GetAsync(string? from = null, string? to = null, string? baseMonth = null) =>
        Task.FromResult(S.View(TradingRange.Parse(from, to, baseMonth, ChinaTime.Today(clock), defaultBase, S.TradedMonths()), regions));

    /// <summary>The aggregates and the marks are one row, so they are stored together or not at all.</summary>
    async Task SaveAsync(Action undo)
    {
        var updatedAt = S.UpdatedAt;
        S.UpdatedAt = clock.GetUtcNow();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not stored: take the change back, so no later call counts on it, and reload the stored truth next time.
            undo();
            S.UpdatedAt = updatedAt;
            DeactivateOnIdle();
            throw;
        }
    }
}
