namespace TechTransfer.Reputation;

/// <summary>
/// 信誉 of an organization or a broker (docs/institutions.md, "信誉体系"): indicators computed from what happened on the
/// network, each with the number of deals, contracts or listings behind it, and a grade from a published formula.
/// </summary>
public sealed record CreditReport(string Grade, int? Score, IReadOnlyList<CreditIndicator> Indicators, DateTimeOffset? Since, string FormulaVersion);

/// <summary>One indicator: a stable name, its Chinese label, its value (null when nothing is behind it yet) and its evidence.</summary>
public sealed record CreditIndicator(string Name, string Label, double? Value, string Unit, int Evidence);

/// <summary>What an organization's grade is computed from, read from tt_deal, tt_deal_event, tt_contract and tt_listing.</summary>
public sealed record OrganizationFacts(
    int Asked, int Answered, double? MedianAnswerHours, int Leads, int Signed, int Terminated, int TradesNotCompleted,
    int Contracts, decimal ContractAmount, int PublishedListings, int FreshListings, DateTimeOffset? Since);

/// <summary>What a broker's grade is computed from: the deals they claimed, their contracts and the parties' ratings.</summary>
public sealed record BrokerFacts(
    int Claimed, int Registered, int Terminated, int WentStale, int StaleNow, double? MedianDaysPerStage,
    int Contracts, decimal ContractAmount, int Ratings, double? AverageStars, DateTimeOffset? Since);

/// <summary>
/// The formula, version <see cref="Version"/>. Each part is a share in [0, 1]; a part with nothing behind it counts
/// as <see cref="Neutral"/>, neither reward nor penalty. Below <see cref="MinimumActivity"/> there is no grade: 新加入.
/// </summary>
public static class CreditFormula
{
    public const string Version = "2026-12";
    public const string Newcomer = "新加入";
    public const int MinimumActivity = 3;
    const double Neutral = 0.5;

    /// <summary>A = 80 and above, B = 65, C = 50, D below.</summary>
    public static string Grade(int score) => score >= 80 ? "A" : score >= 65 ? "B" : score >= 50 ? "C" : "D";

    /// <summary>Full marks up to <paramref name="good"/>, none from <paramref name="bad"/>, a straight line between.</summary>
    static double Speed(double? value, double good, double bad) =>
        value is not { } v ? Neutral : Math.Clamp((bad - v) / (bad - good), 0, 1);

    static double Share(int part, int whole) => whole == 0 ? Neutral : (double)part / whole;

    static double? Percent(int part, int whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1);

    /// <summary>
    /// 30 % answering the other side's interest, 15 % how fast (a day: full, two weeks: none), 30 % ended deals that were
    /// signed, 10 % trades won and then abandoned (three or more: none), 15 % published listings updated within 180 days.
    /// </summary>
    public static CreditReport Organization(OrganizationFacts f)
    {
        var signedShare = Share(f.Signed, f.Signed + f.Terminated);
        var score = 100 * (0.30 * Share(f.Answered, f.Asked) + 0.15 * Speed(f.MedianAnswerHours, 24, 14 * 24) + 0.30 * signedShare
            + 0.10 * (1 - Math.Min(1, f.TradesNotCompleted / 3.0)) + 0.15 * Share(f.FreshListings, f.PublishedListings));
        var activity = f.Asked + f.Leads + f.Contracts;
        CreditIndicator[] indicators =
        [
            new("answeredShare", "意向响应率", Percent(f.Answered, f.Asked), "%", f.Asked),
            new("medianAnswerHours", "意向响应用时（中位数）", f.MedianAnswerHours is { } h ? Math.Round(h, 1) : null, "小时", f.Answered),
            new("dealsSigned", "签约对接", f.Signed, "项", f.Signed),
            new("signedShare", "已结束对接中签约的比例", Percent(f.Signed, f.Signed + f.Terminated), "%", f.Signed + f.Terminated),
            new("dealsTerminated", "终止的对接", f.Terminated, "项", f.Terminated),
            new("tradesNotCompleted", "成交后终止的交易", f.TradesNotCompleted, "项", f.TradesNotCompleted),
            new("contractsRegistered", "登记合同", f.Contracts, "份", f.Contracts),
            new("contractAmount", "登记合同金额", (double)f.ContractAmount, "万元", f.Contracts),
            new("freshListings", "在架发布中近 180 天更新的比例", Percent(f.FreshListings, f.PublishedListings), "%", f.PublishedListings),
        ];
        return Report(score, activity, indicators, f.Since);
    }

    /// <summary>
    /// 40 % ended deals that were registered, 25 % claimed deals that never went stale, 15 % days per stage (a week:
    /// full, a month: none), 20 % the parties' stars (1 star: none, 5: full).
    /// </summary>
    public static CreditReport Broker(BrokerFacts f)
    {
        var score = 100 * (0.40 * Share(f.Registered, f.Registered + f.Terminated) + 0.25 * (1 - Share(f.WentStale, f.Claimed))
            + 0.15 * Speed(f.MedianDaysPerStage, 7, 30) + 0.20 * (f.AverageStars is { } stars ? (stars - 1) / 4 : Neutral));
        CreditIndicator[] indicators =
        [
            new("leadsClaimed", "认领的线索", f.Claimed, "项", f.Claimed),
            new("dealsRegistered", "完成登记的对接", f.Registered, "项", f.Registered),
            new("registeredShare", "已结束对接中完成登记的比例", Percent(f.Registered, f.Registered + f.Terminated), "%", f.Registered + f.Terminated),
            new("medianDaysPerStage", "每个阶段用时（中位数）", f.MedianDaysPerStage is { } d ? Math.Round(d, 1) : null, "天", f.Claimed),
            new("wentStaleShare", "曾停滞的对接比例", Percent(f.WentStale, f.Claimed), "%", f.Claimed),
            new("staleNow", "当前停滞的对接", f.StaleNow, "项", f.StaleNow),
            new("contractsRegistered", "登记合同", f.Contracts, "份", f.Contracts),
            new("contractAmount", "登记合同金额", (double)f.ContractAmount, "万元", f.Contracts),
            new("averageStars", "当事方评分", f.AverageStars is { } a ? Math.Round(a, 2) : null, "星", f.Ratings),
        ];
        return Report(score, f.Claimed, indicators, f.Since);
    }

    static CreditReport Report(double score, int activity, CreditIndicator[] indicators, DateTimeOffset? since)
    {
        if (activity < MinimumActivity) return new CreditReport(Newcomer, null, indicators, since, Version);
        var rounded = (int)Math.Round(score, MidpointRounding.AwayFromZero);
        return new CreditReport(Grade(rounded), rounded, indicators, since, Version);
    }
}

/// <summary>
/// A center's 信誉 at a glance (national and center dashboards): its brokers' records, each broker's grade, the
/// grades of its most active organizations, and the contests waiting for its review.
/// </summary>
public sealed record CenterCredit(
    string Code, string Name, IReadOnlyList<CreditIndicator> Indicators, IReadOnlyList<BrokerGrade> Brokers,
    IReadOnlyDictionary<string, int> OrganizationGrades, int OpenContests);

/// <summary>One broker's grade and score (null below the minimum activity) in a center's summary.</summary>
public sealed record BrokerGrade(string AccountId, string Grade, int? Score);

public static class CenterCreditSummary
{
    /// <summary>
    /// The center's indicators from its brokers' reports: counts summed, shares and stars averaged over their evidence
    /// (a broker with 40 ended deals weighs 40 times one with one), so the center reads as one broker with all its deals.
    /// </summary>
    public static IReadOnlyList<CreditIndicator> Indicators(IReadOnlyList<CreditReport> brokers)
    {
        IEnumerable<CreditIndicator> Parts(string name) => brokers.Select(b => b.Indicators.Single(i => i.Name == name));
        CreditIndicator Sum(string name) =>
            Blank[name] with { Value = Parts(name).Sum(i => i.Value ?? 0), Evidence = Parts(name).Sum(i => i.Evidence) };
        CreditIndicator Mean(string name)
        {
            var parts = Parts(name).Where(i => i.Value is not null && i.Evidence > 0).ToList();
            var evidence = parts.Sum(i => i.Evidence);
            return Blank[name] with { Value = evidence == 0 ? null : Math.Round(parts.Sum(i => i.Value!.Value * i.Evidence) / evidence, 1), Evidence = evidence };
        }
        return [Sum("leadsClaimed"), Mean("registeredShare"), Mean("wentStaleShare"), Sum("staleNow"), Sum("contractsRegistered"),
            Sum("contractAmount"), Mean("averageStars")];
    }

    /// <summary>A broker's indicators with nothing behind them: their labels and units, as the formula names them.</summary>
    static readonly Dictionary<string, CreditIndicator> Blank =
        CreditFormula.Broker(new BrokerFacts(0, 0, 0, 0, 0, null, 0, 0, 0, null, null)).Indicators.ToDictionary(i => i.Name);
}
