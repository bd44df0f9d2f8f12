using TechTransfer.Problems;

namespace TechTransfer.Valuation;

/// <summary>
/// 收益法: the buyer's expected extra profit a year from using the technology (万元), the share of it due to the
/// technology (分成率, a range in percent), for how many years, discounted at a yearly rate (percent).
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.IncomeInputs")]
public sealed record IncomeInputs(
    [property: Id(0)] decimal AnnualBenefit, [property: Id(1)] decimal ShareMin, [property: Id(2)] decimal ShareMax,
    [property: Id(3)] int Years, [property: Id(4)] decimal DiscountRate);

/// <summary>
/// 成本法 (replacement cost): what developing it again would cost (万元), the developer's reasonable profit on that
/// (percent), and the obsolescence: years since it was developed and years of economic life left.
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.ReplacementCostInputs")]
public sealed record ReplacementCostInputs(
    [property: Id(0)] decimal RdCost, [property: Id(1)] decimal ProfitRate, [property: Id(2)] int UsedYears, [property: Id(3)] int RemainingYears);

/// <summary>What the seller typed for the two methods (either may be absent), and who typed it when.</summary>
[GenerateSerializer, Immutable, Alias("tt.ValuationInputs")]
public sealed record ValuationInputs(
    [property: Id(0)] IncomeInputs? Income, [property: Id(1)] ReplacementCostInputs? ReplacementCost,
    [property: Id(2)] DateTimeOffset UpdatedAt, [property: Id(3)] string UpdatedBy);

/// <summary>The PUT body, loose so that every bad field is reported at once (zh + en), nothing stored half.</summary>
public sealed record ValuationInputsInput(IncomeInput? Income, ReplacementCostInput? ReplacementCost)
{
    public (IncomeInputs? Income, ReplacementCostInputs? ReplacementCost) Validate()
    {
        var v = new Validation();
        IncomeInputs? income = null;
        if (Income is { } i)
        {
            var benefit = v.Money("income.annualBenefit", i.AnnualBenefit);
            var min = Percent(v, "income.shareMin", i.ShareMin, positive: true);
            var max = Percent(v, "income.shareMax", i.ShareMax, positive: true);
            if (min is not null && max is not null && min > max) v.Fail("income.shareMin", "range", $"0–{max}");
            var years = v.Range("income.years", i.Years, 1, 30);
            var rate = Percent(v, "income.discountRate", i.DiscountRate, positive: false, max: 50);
            if (benefit is not null && min is not null && max is not null && years is not null && rate is not null)
                income = new IncomeInputs(benefit.Value, min.Value, max.Value, years.Value, rate.Value);
        }
        ReplacementCostInputs? cost = null;
        if (ReplacementCost is { } c)
        {
            var rd = v.Money("replacementCost.rdCost", c.RdCost);
            var profit = Percent(v, "replacementCost.profitRate", c.ProfitRate, positive: false);
            var used = v.Range("replacementCost.usedYears", c.UsedYears, 0, 50);
            var remaining = v.Range("replacementCost.remainingYears", c.RemainingYears, 0, 50);
            // Used and remaining life together are the whole life: at least a year, or the newness is 0/0.
            if (used == 0 && remaining == 0) v.Fail("replacementCost.remainingYears", "positive");
            if (rd is not null && profit is not null && used is not null && remaining is not null)
                cost = new ReplacementCostInputs(rd.Value, profit.Value, used.Value, remaining.Value);
        }
        v.ThrowIfInvalid();
        return (income, cost);
    }

    /// <summary>A percentage: 0 (or above 0) to <paramref name="max"/>, at most two decimals.</summary>
    static decimal? Percent(Validation v, string field, decimal? value, bool positive, decimal max = 100)
    {
        if (value is not { } p)
        {
            v.Fail(field, "required");
            return null;
        }
        if (p < 0 || (positive && p == 0) || p > max) v.Fail(field, "range", positive ? $"0（不含）–{max}" : $"0–{max}");
        else if (decimal.Round(p, 2) != p) v.Fail(field, "invalid-format");
        return p;
    }
}

public sealed record IncomeInput(decimal? AnnualBenefit, decimal? ShareMin, decimal? ShareMax, int? Years, decimal? DiscountRate);

public sealed record ReplacementCostInput(decimal? RdCost, decimal? ProfitRate, int? UsedYears, int? RemainingYears);
