using System.Net;
using System.Text;
using TechTransfer.Listings;

namespace TechTransfer.Matching;

public sealed class MatchingOptions
{
    /// <summary>Matches scoring below this (0–100) are neither kept nor pushed (docs/matching.md: the threshold curve).</summary>
    public int Threshold { get; set; } = 20;

    /// <summary>How many matches a newly published listing keeps at most.</summary>
    public int TopK { get; set; } = 10;

    /// <summary>
    /// A stored match whose announcement has not succeeded by then is announced by the outbox sweep (MatchOutbox).
    /// Longer than a publish normally takes, so the sweep does not race the publishing host.
    /// </summary>
    public TimeSpan AnnounceRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the matches of a listing that left the market are kept (MatchPruner): long enough for anyone notified of
    /// one to still open it; a pair that became a deal is kept for good.
    /// </summary>
    public TimeSpan KeepMatchesOffMarket { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Where this host keeps its search index on disk (memory-mapped, one directory per host: not shared). A restarted
    /// host resumes from these files and the feed position committed with them instead of rebuilding from PostgreSQL.
    /// Unset: the index lives in process memory and is rebuilt at every start (docs/matching.md, "Memory or files").
    /// </summary>
    public string? IndexPath { get; set; }

    /// <summary>How often a replica on disk commits its files and feed position (what a crash can cost to catch up).</summary>
    public TimeSpan IndexCommitInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Into how many partitions (by listing id) the market's index is split; the same on every host. One: every host
    /// holds the whole market. More: each host holds <see cref="HeldPartitions"/>, and a search is scattered to one
    /// holder of each (docs/matching.md, "Partitions").
    /// </summary>
    public int Partitions { get; set; } = 1;

    /// <summary>Which partitions this host holds, e.g. "0,1" ("" none: it serves no search of its own); unset: all.</summary>
    public string? HeldPartitions { get; set; }

    public PartitionLayout Layout => PartitionLayout.Parse(Partitions, HeldPartitions);
}

/// <summary>One criterion of structured compatibility and whether it held (null: not applicable).</summary>
[GenerateSerializer, Immutable, Alias("tt.MatchCriterion")]
public sealed record MatchCriterion(string Name, bool? Held, string Zh);

/// <summary>
/// Why two listings were paired: the shared terms (meaningful words only, declared keywords first and whole), both
/// sides highlighted, the criteria, the text score (0–1) and the reason in one Chinese sentence.
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.MatchExplanation")]
public sealed record MatchExplanation(
    string[] MatchedTerms, string AchievementSnippet, string DemandSnippet, MatchCriterion[] Criteria, double TextRelevance, string? Reason = null);

/// <summary>A scored pairing of an achievement and a demand.</summary>
[GenerateSerializer, Immutable, Alias("tt.MatchCandidate")]
public sealed record MatchCandidate(
    string AchievementId, string DemandId, int Score, string AchievementTitle, string DemandTitle, MatchExplanation Explanation,
    string AchievementOrganizationId, string DemandOrganizationId, string? AchievementRegion, string? DemandRegion)
{
    public string MatchId => ListingMatcher.MatchId(AchievementId, DemandId);
}

/// <summary>
/// Pairs supply with demand: query-by-document against the other side of the index, then a 0–100 score that
/// combines text relevance with structured compatibility, and an explanation for every pair. Production
/// matching, the eval harness and the benchmarks all call this one type.
/// </summary>
public sealed class MatchEngine(ListingIndex index, MatchingOptions options)
{
    const int CandidateFactor = 2;
    const double StructuredShare = 0.2;

    static readonly (string Name, double Weight)[] CriterionWeights =
    [
        ("sameTechField", 0.35), ("trlMeetsMinimum", 0.25), ("priceWithinBudget", 0.2), ("transferModeCompatible", 0.1), ("sameRegion", 0.1),
    ];

    public MatchingOptions Options => options;

    /// <summary>The best partners of <paramref name="source"/> on the other side, best first.</summary>
    public IReadOnlyList<MatchCandidate> FindMatches(ListingDocument source, int? topK = null, bool applyThreshold = true)
    {
        var k = topK ?? options.TopK;
        var (filter, take) = Candidates(source, k);
        return Rank(source, index.MoreLike(source, filter, take), k, applyThreshold);
    }

    /// <summary>What <see cref="FindMatches"/> asks of the index: the other kind, twice the matches kept.</summary>
    public static (SearchFilter Filter, int Take) Candidates(ListingDocument source, int k) =>
        (new SearchFilter(source.Kind == ListingKind.Achievement ? ListingKind.Demand : ListingKind.Achievement), k * CandidateFactor);

    /// <summary>The best <paramref name="k"/> matches of <paramref name="source"/> among its evidenced candidates, best first.</summary>
    public IReadOnlyList<MatchCandidate> Rank(ListingDocument source, IReadOnlyList<EvidencedHit> candidates, int? topK = null, bool applyThreshold = true)
    {
        var k = topK ?? options.TopK;
        return [.. candidates
            .Select(h =>
            {
                var (achievement, demand) = source.Kind == ListingKind.Achievement ? (source, h.Hit.Document) : (h.Hit.Document, source);
                var criteria = Criteria(achievement, demand);
                var text = TextScore(h.Evidence);
                return (h.Hit, h.Evidence, Achievement: achievement, Demand: demand, Criteria: criteria, Text: text, Score: Score(text, criteria));
            })
            .Where(m => m.Text > 0 && (!applyThreshold || m.Score >= options.Threshold))
            .OrderByDescending(m => m.Score).ThenByDescending(m => m.Hit.Score).ThenBy(m => m.Hit.Document.Id, StringComparer.Ordinal)
            .Take(k)
            .Select(m =>
            {
                var terms = TextEvidence.ShownTerms(m.Evidence, m.Demand, m.Achievement, max: 8);
                return new MatchCandidate(m.Achievement.Id, m.Demand.Id, m.Score, m.Achievement.Title, m.Demand.Title,
                    new MatchExplanation(terms, Snippet(m.Achievement, terms), Snippet(m.Demand, terms), m.Criteria, Math.Round(m.Text, 3),
                        Reason(terms, m.Criteria)),
                    m.Achievement.OwnerOrganizationId, m.Demand.OwnerOrganizationId, m.Achievement.RegionCode, m.Demand.RegionCode);
            })];
    }

    /// <summary>
    /// The text score, 0–1: the probability that the pair is relevant, from the evidence alone. A logistic model of
    /// four absolute measures — how much of the demand the achievement covers, how much of the achievement's headline
    /// the demand covers, the specificity of shared declared keywords, and how specific the shared concepts are —
    /// fitted on the dev set's pairs (docs/matching.md: five-fold cross-validated by demand; the coefficients vary by
    /// less than 0.5 between folds). No shared concept, no text score.
    /// </summary>
    public static double TextScore(PairEvidence e)
    {
        if (e.Shared.Count == 0) return 0;
        var logit = -5.98 + 1.39 * e.DemandCoverage + 1.19 * e.AchievementCoverage + 3.77 * e.DeclaredWeight + 1.19 * e.SpecificWeight;
        return 1 / (1 + Math.Exp(-logit));
    }

    /// <summary>
    /// 0–100. Structured compatibility modulates a text match and never makes one: without text evidence the
    /// score is 0 whatever the criteria say.
    /// </summary>
    static int Score(double text, MatchCriterion[] criteria)
    {
        var applicable = criteria.Where(c => c.Held is not null).ToList();
        var structured = applicable.Count == 0 ? 1
            : applicable.Where(c => c.Held == true).Sum(c => Weight(c.Name)) / applicable.Sum(c => Weight(c.Name));
        return (int)Math.Round(100 * text * (1 - StructuredShare * (1 - structured)));
    }

    /// <summary>Structured compatibility: field, maturity, price, transfer mode and region; each says in Chinese what it found.</summary>
    public static MatchCriterion[] Criteria(ListingDocument achievement, ListingDocument demand)
    {
        bool? priceFits = achievement.Price is not { } price ? null
            : demand.Price is not { } max ? null
            : price <= max && price >= (demand.BudgetMin ?? 0) * 0.5m;
        bool? modeFits = achievement.TransferModes.Length == 0 ? null
            : achievement.TransferModes.Any(m => m is "Assignment" or "License" or "JointImplementation" or "EquityInvestment");
        bool? sameField = achievement.TechField.Length == 0 || demand.TechField.Length == 0 ? null : achievement.TechField == demand.TechField;
        bool? sameRegion = achievement.RegionCode is null || demand.RegionCode is null ? null : achievement.RegionCode == demand.RegionCode;
        bool? trlFits = demand.Trl <= 0 ? null : achievement.Trl >= demand.Trl;
        return
        [
            new("sameTechField", sameField, sameField == false ? "技术领域不同" : $"同属{FieldZh(achievement.TechField)}领域"),
            new("trlMeetsMinimum", trlFits, trlFits == false
                ? $"技术成熟度 {achievement.Trl} 低于需求最低 {demand.Trl}" : $"技术成熟度 {achievement.Trl} ≥ 需求最低 {demand.Trl}"),
            new("priceWithinBudget", priceFits, priceFits == false ? "挂牌价不在预算范围内" : "挂牌价在预算范围内"),
            new("transferModeCompatible", modeFits, modeFits == false ? "转化方式无法对接企业" : "转化方式可对接企业"),
            new("sameRegion", sameRegion, sameRegion == false ? "不在同一区域服务中心" : "同一区域服务中心"),
        ];
    }

    /// <summary>
    /// Why it matched, in one sentence: what both sides are about, then what a party weighs first — field, maturity
    /// and price — held or not ("双方均涉及石墨烯、快充；同属新能源与节能领域，技术成熟度 6 ≥ 需求最低 4；但挂牌价不在预算范围内。").
    /// Region and transfer mode stay in the criteria list: they rarely decide whether to call.
    /// </summary>
    public static string Reason(IReadOnlyList<string> terms, IReadOnlyList<MatchCriterion> criteria)
    {
        var weighed = criteria.Where(c => c.Name is "sameTechField" or "trlMeetsMinimum" or "priceWithinBudget").ToList();
        var parts = new List<string> { "双方均涉及" + string.Join("、", terms.Take(3)) };
        if (weighed.Where(c => c.Held == true).Select(c => c.Zh).ToList() is { Count: > 0 } held) parts.Add(string.Join("，", held));
        if (weighed.Where(c => c.Held == false).Select(c => c.Zh).ToList() is { Count: > 0 } failed) parts.Add("但" + string.Join("，", failed));
        return string.Join("；", parts) + "。";
    }

    static string FieldZh(string field) => field switch
    {
        "ElectronicInformation" => "电子信息",
        "BioMedicine" => "生物与新医药",
        "Aerospace" => "航空航天",
        "NewMaterials" => "新材料",
        "HighTechServices" => "高技术服务",
        "NewEnergy" => "新能源与节能",
        "ResourcesEnvironment" => "资源与环境",
        "AdvancedManufacturing" => "先进制造与自动化",
        _ => field,
    };

    static double Weight(string criterion) => CriterionWeights.First(c => c.Name == criterion).Weight;

    /// <summary>Title and the best window of the body, HTML-escaped, with the shared terms in &lt;em&gt;.</summary>
    public static string Snippet(ListingDocument doc, IReadOnlyList<string> terms, int window = 120)
    {
        var body = doc.Body;
        var first = terms.Select(t => body.IndexOf(t, StringComparison.OrdinalIgnoreCase)).Where(i => i >= 0).DefaultIfEmpty(0).Min();
        var start = Math.Max(0, first - window / 4);
        var excerpt = body.Length <= window ? body : (start > 0 ? "…" : "") + body.Substring(start, Math.Min(window, body.Length - start)) + "…";
        return Highlight(doc.Title, terms) + " — " + Highlight(excerpt, terms);
    }

    /// <summary>Escapes the text, then marks every occurrence of the terms (longest first, no overlaps).</summary>
    public static string Highlight(string text, IReadOnlyList<string> terms)
    {
        var marked = new bool[text.Length];
        foreach (var term in terms.Where(t => t.Length > 0).OrderByDescending(t => t.Length))
            for (var i = text.IndexOf(term, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(term, i + term.Length, StringComparison.OrdinalIgnoreCase))
                if (!marked.AsSpan(i, term.Length).Contains(true)) marked.AsSpan(i, term.Length).Fill(true);
        var html = new StringBuilder();
        for (var start = 0; start < text.Length;)
        {
            var end = start;
            while (end < text.Length && marked[end] == marked[start]) end++;
            var run = WebUtility.HtmlEncode(text[start..end]);
            html.Append(marked[start] ? $"<em>{run}</em>" : run);
            start = end;
        }
        return html.ToString();
    }
}
