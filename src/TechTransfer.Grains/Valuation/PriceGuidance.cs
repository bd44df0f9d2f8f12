using System.Text.Json;
using TechTransfer.Listings;
using TechTransfer.Matching;

namespace TechTransfer.Valuation;

/// <summary>
/// An indicative price range in 万元 and how it was reached (docs/institutions.md, 评估报价): the comparables'
/// weighted quartiles (null below the minimum sample: 样本不足), and beside them, never blended in, the seller's
/// income and replacement-cost methods.
/// </summary>
public sealed record PriceGuidance(
    decimal? Low, decimal? Mid, decimal? High, string Unit, IReadOnlyList<Comparable> Comparables, IReadOnlyList<MethodRange> Methods,
    int SampleSize, string Note, int MinSampleSize, int HalfLifeDays, double MinSimilarity, int Undisclosed, ValuationInputs? Inputs);

/// <summary>
/// One comparable trade. <see cref="Ref"/> (contract number or trade id), <see cref="Amount"/>, <see cref="Title"/> and
/// <see cref="ListingId"/> are null when the viewer may not see that trade's amount: it still counts in the range.
/// </summary>
public sealed record Comparable(
    string Kind, string? Ref, decimal? Amount, double Similarity, DateOnly Date, double Weight, string? Title, string? ListingId,
    string? RegionCode, SimilarityParts Parts);

/// <summary>The parts of a similarity, each 0–1; null where it does not apply (a demand has no IP rights).</summary>
public sealed record SimilarityParts(double Text, double? Field, double? Trl, double? Ip);

/// <summary>A method's range from the seller's inputs: "income" (收益法) or "replacementCost" (成本法).</summary>
public sealed record MethodRange(string Name, decimal Low, decimal High, object Inputs);

/// <summary>The formulas, pure: similarity, recency, weighted quartiles and the two methods.</summary>
public static class PriceFormulas
{
    public const double TextWeight = 0.5, FieldWeight = 0.2, TrlWeight = 0.15, IpWeight = 0.15;

    /// <summary>
    /// 0–1, rounded to three places: text score ×0.5, same TechField ×0.2, TRL closeness (1 − |Δ|/8) ×0.15, IP kinds
    /// in common (Jaccard; both without IP rights counts as alike) ×0.15, over the parts that apply (weights renormalised).
    /// </summary>
    public static (double Similarity, SimilarityParts Parts) Similarity(ListingDocument subject, ListingDocument other, double textScore)
    {
        var text = Math.Round(textScore, 3);
        double? field = subject.TechField.Length == 0 || other.TechField.Length == 0 ? null : subject.TechField == other.TechField ? 1 : 0;
        double? trl = subject.Trl <= 0 || other.Trl <= 0 ? null : 1 - Math.Abs(subject.Trl - other.Trl) / 8.0;
        double? ip = subject.Kind != ListingKind.Achievement || other.Kind != ListingKind.Achievement ? null : Jaccard(IpKinds(subject), IpKinds(other));
        var parts = new SimilarityParts(text, field, trl, ip is { } j ? Math.Round(j, 3) : null);
        double sum = TextWeight * text, weights = TextWeight;
        foreach (var (value, weight) in new[] { (field, FieldWeight), (trl, TrlWeight), (parts.Ip, IpWeight) })
            if (value is { } v) (sum, weights) = (sum + weight * v, weights + weight);
        return (Math.Round(sum / weights, 3), parts);
    }

    /// <summary>similarity × 0.5^(age in days / half-life), rounded to four places: a trade a half-life old counts half.</summary>
    public static double Weight(double similarity, DateOnly date, DateOnly today, int halfLifeDays) =>
        Math.Round(similarity * Math.Pow(0.5, Math.Max(0, today.DayNumber - date.DayNumber) / (double)halfLifeDays), 4);

    /// <summary>
    /// The weighted <paramref name="q"/>-quantile: sorted by amount, the first amount at which the cumulative weight
    /// reaches q × the total weight. Always one of the amounts (no interpolation).
    /// </summary>
    public static decimal Quantile(IReadOnlyList<(decimal Amount, double Weight)> sample, double q)
    {
        var sorted = sample.OrderBy(s => s.Amount).ToList();
        var target = q * sorted.Sum(s => s.Weight);
        double cumulative = 0;
        foreach (var (amount, weight) in sorted)
        {
            cumulative += weight;
            if (cumulative >= target - 1e-9) return amount;
        }
        return sorted[^1].Amount;
    }

    /// <summary>
    /// 收益法: annual benefit × share × Σ_{t=1..years} 1/(1+rate)^t, with the low and the high share; to the 百元 (two places).
    /// </summary>
    public static MethodRange Income(IncomeInputs i)
    {
        decimal factor = 0, discount = 1, rate = 1 + i.DiscountRate / 100;
        for (var t = 1; t <= i.Years; t++)
        {
            discount /= rate;
            factor += discount;
        }
        return new MethodRange("income", Round(i.AnnualBenefit * i.ShareMin / 100 * factor), Round(i.AnnualBenefit * i.ShareMax / 100 * factor), i);
    }

    /// <summary>
    /// 成本法: R&amp;D cost × newness (remaining life / (used + remaining)) at the low end, the same with the developer's
    /// reasonable profit added, × (1 + profit rate), at the high end.
    /// </summary>
    public static MethodRange ReplacementCost(ReplacementCostInputs c)
    {
        var newness = (decimal)c.RemainingYears / (c.UsedYears + c.RemainingYears);
        return new MethodRange("replacementCost", Round(c.RdCost * newness), Round(c.RdCost * (1 + c.ProfitRate / 100) * newness), c);
    }

    static decimal Round(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero);

    static double Jaccard(HashSet<string> a, HashSet<string> b) =>
        a.Count == 0 && b.Count == 0 ? 1 : (double)a.Intersect(b).Count() / a.Union(b).Count();

    /// <summary>The kinds of IP rights in an achievement's public view (tt_listing.doc).</summary>
    public static HashSet<string> IpKinds(ListingDocument listing)
    {
        using var json = JsonDocument.Parse(listing.Json);
        return json.RootElement.TryGetProperty("ipRights", out var rights) && rights.ValueKind == JsonValueKind.Array
            ? [.. rights.EnumerateArray().Select(r => r.TryGetProperty("kind", out var k) ? k.GetString() ?? "" : "").Where(k => k.Length > 0)]
            : [];
    }
}
