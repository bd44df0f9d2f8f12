using System.Globalization;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Vocabulary;

namespace TechTransfer.Contracts;

/// <summary>
/// Stored under state name "trading-index": the aggregates by signing day and month (with each month's TechField and
/// region slices), and what has been counted — per center the last registration number, per amended contract the
/// last amendment — so a re-sent registration or amendment is never counted twice.
/// </summary>
[GenerateSerializer, Alias("tt.TradingIndexState")]
public sealed class TradingIndexState
{
    [Id(0)] public Dictionary<string, string> Applied { get; set; } = [];
    [Id(1)] public Dictionary<string, int> AmendmentsApplied { get; set; } = [];
    [Id(2)] public Dictionary<string, TradingTally> Days { get; set; } = [];
    [Id(3)] public Dictionary<string, TradingMonthTally> Months { get; set; } = [];
    [Id(4)] public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Adds (sign 1) or takes back (sign -1) a contract's count and amounts everywhere it is counted.</summary>
    public void Add(TradeEntry entry, int count, decimal contractAmount, decimal techTransactionAmount)
    {
        var day = entry.SigningDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var month = TradingRange.MonthKey(entry.SigningDate);
        Bump(Days, day);
        if (!Months.TryGetValue(month, out var figures)) Months[month] = figures = new TradingMonthTally();
        figures.Total.Add(count, contractAmount, techTransactionAmount);
        Bump(figures.ByField, entry.TechField);
        Bump(figures.ByRegion, entry.RegionCode);

        void Bump(Dictionary<string, TradingTally> map, string key)
        {
            if (!map.TryGetValue(key, out var f)) map[key] = f = new TradingTally();
            f.Add(count, contractAmount, techTransactionAmount);
        }
    }

    /// <summary>
    /// The view of a range: every month and day in it (zeros included), totals by field and region over the range, and
    /// the index I(m) = 100 × T(m) / T(base) on technology-transaction amounts, null when T(base) is 0.
    /// </summary>
    public TradingIndexView View(TradingRange range, RegionDirectory regions)
    {
        var baseKey = TradingRange.MonthKey(range.Base);
        var baseAmount = Months.TryGetValue(baseKey, out var b) ? b.Total.TechTransactionAmount : 0m;
        var months = new List<TradingMonth>();
        var fields = Enum.GetNames<TechField>().ToDictionary(f => f, _ => TradeFigures.Zero);
        var byRegion = regions.Regions.ToDictionary(r => r.Code, _ => TradeFigures.Zero);
        var total = TradeFigures.Zero;
        for (var m = range.From; m <= range.To; m = m.AddMonths(1))
        {
            var key = TradingRange.MonthKey(m);
            var figures = Months.GetValueOrDefault(key);
            var t = figures?.Total.ToFigures() ?? TradeFigures.Zero;
            months.Add(new TradingMonth(key, t.Count, t.ContractAmount, t.TechTransactionAmount, Index(t.TechTransactionAmount, baseAmount)));
            total = total.Plus(t);
            if (figures is null) continue;
            foreach (var (code, f) in figures.ByField) fields[code] = fields.GetValueOrDefault(code, TradeFigures.Zero).Plus(f.ToFigures());
            foreach (var (code, f) in figures.ByRegion) byRegion[code] = byRegion.GetValueOrDefault(code, TradeFigures.Zero).Plus(f.ToFigures());
        }
        var days = new List<TradingDay>();
        for (var d = range.From; d < range.To.AddMonths(1); d = d.AddDays(1))
        {
            var key = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var f = Days.GetValueOrDefault(key)?.ToFigures() ?? TradeFigures.Zero;
            days.Add(new TradingDay(key, f.Count, f.ContractAmount, f.TechTransactionAmount));
        }
        var names = regions.Regions.ToDictionary(r => r.Code, r => r.ShortName);
        var traded = TradedMonths();
        return new TradingIndexView(TradingRange.MonthKey(range.From), TradingRange.MonthKey(range.To), baseKey,
            baseAmount == 0 ? null : baseAmount, total, [.. months], [.. days],
            [.. fields.Select(f => Slice(f.Key, null, f.Value))],
            [.. byRegion.Select(r => Slice(r.Key, names.GetValueOrDefault(r.Key), r.Value))],
            UpdatedAt, traded.Count == 0 ? null : TradingRange.MonthKey(traded.Min()), Months.Values.Sum(m => m.Total.Count));
    }

    /// <summary>The months with a technology-transaction amount: where an index can have its base.</summary>
    public List<DateOnly> TradedMonths() =>
        [.. Months.Where(m => m.Value.Total.TechTransactionAmount > 0)
            .Select(m => DateOnly.ParseExact(m.Key + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture))];

    /// <summary>I(m) = 100 × T(m) / T(base), to two places; no index without a base.</summary>
    public static decimal? Index(decimal amount, decimal baseAmount) =>
        baseAmount == 0 ? null : Math.Round(100m * amount / baseAmount, 2, MidpointRounding.AwayFromZero);

    static TradingSlice Slice(string code, string? name, TradeFigures f) => new(code, name, f.Count, f.ContractAmount, f.TechTransactionAmount);
}

[GenerateSerializer, Alias("tt.TradingTally")]
public sealed class TradingTally
{
    [Id(0)] public int Count { get; set; }
    [Id(1)] public decimal ContractAmount { get; set; }
    [Id(2)] public decimal TechTransactionAmount { get; set; }

    public void Add(int count, decimal contractAmount, decimal techTransactionAmount)
    {
        Count += count;
        ContractAmount += contractAmount;
        TechTransactionAmount += techTransactionAmount;
    }

    public TradeFigures ToFigures() => new(Count, ContractAmount, TechTransactionAmount);
}

[GenerateSerializer, Alias("tt.TradingMonthTally")]
public sealed class TradingMonthTally
{
    [Id(0)] public TradingTally Total { get; set; } = new();
    [Id(1)] public Dictionary<string, TradingTally> ByField { get; set; } = [];
    [Id(2)] public Dictionary<string, TradingTally> ByRegion { get; set; } = [];
}

/// <summary>A validated range of months (first days) and the base month of the index.</summary>
public sealed record TradingRange(DateOnly From, DateOnly To, DateOnly Base)
{
    public const int MaxMonths = 36;
    public const int DefaultMonths = 12;
    public const string DefaultBaseMonth = "2026-01";
    static readonly DateOnly Earliest = new(2000, 1, 1);

    public static string MonthKey(DateOnly date) => date.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>
    /// from/to as yyyy-MM (by default the <see cref="DefaultMonths"/> months up to this month in China), at most
    /// <see cref="MaxMonths"/> months; base as yyyy-MM (by default the configured base month).
    /// </summary>
    /// <remarks>
    /// With <paramref name="traded"/> (the months with a technology-transaction amount, any order) the defaults follow
    /// the data, so the index has a base and the page a number whenever a contract is registered: the range reaches
    /// back to the first traded month (at most <see cref="MaxMonths"/> months) when neither end is asked for, and the
    /// base is the configured month if it traded, else the first traded month in the range, else the first at all.
    /// </remarks>
    public static TradingRange Parse(string? from, string? to, string? baseMonth, DateOnly today, string defaultBase,
        IReadOnlyCollection<DateOnly>? traded = null)
    {
        var v = new Validation();
        var end = Month(v, "to", to) ?? (to is null ? new DateOnly(today.Year, today.Month, 1) : null);
        var start = Month(v, "from", from);
        if (from is null && end is { } last)
        {
            var first = traded?.Where(m => m <= last).Order().FirstOrDefault();
            start = Later(to is null && first is { } f && f != default && f < last.AddMonths(1 - DefaultMonths)
                ? Later(f, last.AddMonths(1 - MaxMonths)) // back to the first traded month
                : last.AddMonths(1 - DefaultMonths), Earliest);
        }
        var @base = Month(v, "base", baseMonth ?? defaultBase);
        if (baseMonth is null && traded is { Count: > 0 } && @base is { } configured && !traded.Contains(configured))
            @base = traded.Where(m => m >= start && m <= end).Order().DefaultIfEmpty(traded.Min()).First();
        if (start is { } s && end is { } e)
        {
            if (s > e) v.Fail("from", "after-to");
            else if ((e.Year - s.Year) * 12 + e.Month - s.Month + 1 > MaxMonths) v.Fail("to", "max-months", MaxMonths.ToString(CultureInfo.InvariantCulture));
        }
        v.ThrowIfInvalid();
        return new TradingRange(start!.Value, end!.Value, @base!.Value);
    }

    static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    static DateOnly? Month(Validation v, string field, string? value)
    {
        if (value is null) return null;
        if (!DateOnly.TryParseExact(value, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            v.Fail(field, "invalid-format");
        else if (month < Earliest) v.Fail(field, "too-early", "2000-01");
        else if (month.Year > 9000) v.Fail(field, "invalid-format");
        else return month;
        return null;
    }
}
