using Orleans.Concurrency;

namespace TechTransfer.Contracts;

/// <summary>
/// 全国技术交易指数; one grain, key "national". Kept up to date by the contract registries and contract grains as
/// contracts register and amounts are corrected; answers from its own aggregates, never by reading contracts.
/// </summary>
[Alias("tt.ITradingIndexGrain")]
public interface ITradingIndexGrain : IGrainWithStringKey
{
    /// <summary>
    /// Counts registrations of one center, sent in number order. A registration at or below the number the index has
    /// already applied for that center is a re-send and is skipped. Returns that high-water mark once stored.
    /// </summary>
    [Alias("ApplyRegistrationsAsync")]
    Task<string?> ApplyRegistrationsAsync(string regionCode, TradeEntry[] registrations);

    /// <summary>Adds the amount changes of one contract's amendments; numbers already applied are skipped.</summary>
    [Alias("ApplyAmendmentsAsync")]
    Task ApplyAmendmentsAsync(TradeEntry contract, AmountChange[] changes);

    /// <summary>
    /// The statistics for the months <paramref name="from"/>..<paramref name="to"/> (yyyy-MM, at most 36 months; by default
    /// the last 12 up to this month, or back to the first traded month), with the index against <paramref name="baseMonth"/>
    /// (by default the configured one if it traded, else the first traded month: TradingRange.Parse).
    /// </summary>
    [ReadOnly]
    [Alias("GetAsync")]
    Task<TradingIndexView> GetAsync(string? from = null, string? to = null, string? baseMonth = null);
}

public static class TradingIndex
{
    /// <summary>The key of the one national index grain.</summary>
    public const string National = "national";

    public static ITradingIndexGrain Get(IGrainFactory grains) => grains.GetGrain<ITradingIndexGrain>(National);
}

/// <summary>What the index counts of one contract: where it falls (signing date, field, region) and its amounts in 万元.</summary>
[GenerateSerializer, Immutable, Alias("tt.TradeEntry")]
public sealed record TradeEntry(
    string Number, DateOnly SigningDate, string TechField, string RegionCode, decimal ContractAmount, decimal TechTransactionAmount)
{
    public static TradeEntry Of(ContractRegistration r) => new(r.Number, r.Content.SigningDate, r.Facts.TechField, r.Facts.RegionCode,
        r.Content.ContractAmount, r.Content.TechTransactionAmount);
}

/// <summary>The amount change of amendment <paramref name="No"/> of a contract (new minus old, 万元).</summary>
[GenerateSerializer, Immutable, Alias("tt.AmountChange")]
public sealed record AmountChange(int No, decimal ContractAmount, decimal TechTransactionAmount);

/// <summary>Count and amounts (万元) of a period or a slice.</summary>
[GenerateSerializer, Immutable, Alias("tt.TradeFigures")]
public sealed record TradeFigures(int Count, decimal ContractAmount, decimal TechTransactionAmount)
{
    public static readonly TradeFigures Zero = new(0, 0m, 0m);

    public TradeFigures Plus(TradeFigures other) =>
        new(Count + other.Count, ContractAmount + other.ContractAmount, TechTransactionAmount + other.TechTransactionAmount);
}

[GenerateSerializer, Immutable, Alias("tt.TradingMonth")]
public sealed record TradingMonth(string Month, int Count, decimal ContractAmount, decimal TechTransactionAmount, decimal? Index);

[GenerateSerializer, Immutable, Alias("tt.TradingDay")]
public sealed record TradingDay(string Date, int Count, decimal ContractAmount, decimal TechTransactionAmount);

/// <summary>A slice of the range: a TechField (Name null: the portal names fields) or a region (Name = its short name).</summary>
[GenerateSerializer, Immutable, Alias("tt.TradingSlice")]
public sealed record TradingSlice(string Code, string? Name, int Count, decimal ContractAmount, decimal TechTransactionAmount);

/// <summary>
/// The index for a range of months: totals, one point per month (with the index against the base month) and per day,
/// and the totals of the range by TechField and by region. Counted by signing date (China calendar). FirstMonth is the
/// first month with a technology-transaction amount and RegisteredCount the contracts counted in any month: none means
/// no contract is registered yet (the portal says 暂无登记合同).
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.TradingIndexView")]
public sealed record TradingIndexView(
    string From,
    string To,
    string BaseMonth,
    decimal? BaseTechTransactionAmount,
    TradeFigures Total,
    TradingMonth[] Months,
    TradingDay[] Days,
    TradingSlice[] ByField,
    TradingSlice[] ByRegion,
    DateTimeOffset? UpdatedAt,
    string? FirstMonth = null,
    int RegisteredCount = 0);
