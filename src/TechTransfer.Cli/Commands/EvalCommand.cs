using System.Text.Json;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Terminal;

namespace TechTransfer.Commands;

/// <summary>
/// techtransfer eval: matching quality of the production MatchEngine on a labelled set, as rankings (nDCG uses gain
/// 2^grade − 1; P@k, Recall@k and MRR@k count any grade ≥ 1 as relevant) and as what users are pushed: at the
/// configured threshold, pushes per demand and their precision and recall, also for null demands (title demands
/// against a market without any achievement relevant to a title demand: nothing there deserves a push), the ROC AUC
/// of relevant against non-relevant top pairs, and the threshold curve. Prints one JSON object on its last line.
/// </summary>
public static class EvalCommand
{
    public static Task<int> RunAsync(CommandLine args)
    {
        var k = args.Int("k", 10);
        var options = new MatchingOptions { Threshold = args.Int("threshold", new MatchingOptions().Threshold) };
        var achievements = EvalData.Achievements(args.Required("achievements")).ToList();
        var demands = EvalData.Demands(args.Required("demands"));
        using var market = Index(achievements);
        var ranked = Match(new MatchEngine(market, options), demands, k, "match");

        // Null demands: the same title demands in a market that holds none of the achievements judged relevant to any of them.
        var titles = demands.Where(d => d.Kind == "title").ToList();
        var judged = titles.SelectMany(d => d.Relevant.Keys).ToHashSet();
        using var nullMarket = Index([.. achievements.Where(a => !judged.Contains(a.Id))]);
        var nulls = Match(new MatchEngine(nullMarket, options), titles, k, "null");

        var result = new Dictionary<string, object>(Ranking(ranked, k))
        {
            ["by_kind"] = ranked.GroupBy(r => r.Demand.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => Ranking([.. g], k)),
            ["threshold"] = options.Threshold,
            ["pushes"] = ranked.GroupBy(r => r.Demand.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => Pushes([.. g], options.Threshold)),
            ["null_pushes"] = Pushes(nulls, options.Threshold),
            ["roc_auc"] = ranked.GroupBy(r => r.Demand.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => Math.Round(Auc([.. g]), 4)),
            ["curve"] = Enumerable.Range(1, 12).Select(i => i * 5).Select(t => new Dictionary<string, object>
            {
                ["threshold"] = t,
                ["title"] = Pushes([.. ranked.Where(r => r.Demand.Kind == "title")], t),
                ["keywords"] = Pushes([.. ranked.Where(r => r.Demand.Kind == "keywords")], t),
                ["null"] = Pushes(nulls, t),
            }).ToList(),
        };
        if (args.Option("pairs") is { } pairs) WritePairs(pairs, [(market, demands, false), (nullMarket, titles, true)]);
        System.Console.WriteLine(JsonSerializer.Serialize(result));
        return Task.FromResult(0);
    }

    /// <summary>
    /// The evidence of every demand's candidates with its label, for scripts/fit-match-score.py, which fits and
    /// cross-validates the text score's coefficients (MatchEngine.TextScore).
    /// </summary>
    static void WritePairs(string path, (ListingIndex Market, List<EvalData.Demand> Demands, bool IsNull)[] runs)
    {
        using var file = new StreamWriter(path);
        file.WriteLine("demand\tkind\tnull\trank\tdemand_coverage\tachievement_coverage\tdeclared\tspecific\tshared\tgrade\tachievement\tterms");
        foreach (var (market, demands, isNull) in runs)
            foreach (var demand in demands)
                foreach (var (hit, rank) in market.MoreLike(EvalData.AsListing(demand), new SearchFilter(ListingKind.Achievement), 30).Select((h, r) => (h, r)))
                {
                    var e = hit.Evidence;
                    file.WriteLine(string.Join('\t', demand.Id, demand.Kind, isNull ? 1 : 0, rank, e.DemandCoverage, e.AchievementCoverage,
                        e.DeclaredWeight, e.SpecificWeight, e.Shared.Count, demand.Relevant.GetValueOrDefault(hit.Hit.Document.Id),
                        hit.Hit.Document.Id, string.Join('|', e.Shared.Select(c => $"{c.Text}:{c.Weight:0.###}:{(c.Declared ? 1 : 0)}"))));
                }
    }

    /// <summary>One demand's top k (threshold not applied), best first, with scores.</summary>
    sealed record Ranked(EvalData.Demand Demand, IReadOnlyList<(string Id, int Score)> Top);

    static ListingIndex Index(IReadOnlyList<ListingDocument> achievements)
    {
        var index = new ListingIndex();
        var progress = new ProgressBar("index", achievements.Count);
        for (var i = 0; i < achievements.Count; i++)
        {
            index.Upsert(achievements[i]);
            if (i % 500 == 0) progress.Report(i);
        }
        index.Refresh();
        progress.Done();
        return index;
    }

    static List<Ranked> Match(MatchEngine engine, IReadOnlyList<EvalData.Demand> demands, int k, string label)
    {
        var progress = new ProgressBar(label, demands.Count);
        var result = new List<Ranked>();
        foreach (var (demand, i) in demands.Select((d, i) => (d, i)))
        {
            result.Add(new Ranked(demand, [.. engine.FindMatches(EvalData.AsListing(demand), k, applyThreshold: false).Select(m => (m.AchievementId, m.Score))]));
            if (i % 50 == 0) progress.Report(i);
        }
        progress.Done();
        return result;
    }

    /// <summary>What users would be pushed at <paramref name="threshold"/>: per demand, and how many of the pushes are relevant.</summary>
    static Dictionary<string, object> Pushes(IReadOnlyList<Ranked> ranked, int threshold)
    {
        var pushed = ranked.Select(r => r.Top.Where(m => m.Score >= threshold).Select(m => m.Id).ToList()).ToList();
        var total = pushed.Sum(p => p.Count);
        var relevant = ranked.Zip(pushed, (r, p) => p.Count(r.Demand.Relevant.ContainsKey)).Sum();
        var judged = ranked.Where(r => r.Demand.Relevant.Count > 0).ToList();
        return new()
        {
            ["per_demand"] = Math.Round((double)total / Math.Max(ranked.Count, 1), 3),
            ["precision"] = Math.Round(total == 0 ? 0 : (double)relevant / total, 4),
            ["recall"] = Math.Round(judged.Count == 0 ? 0
                : ranked.Zip(pushed).Where(x => x.First.Demand.Relevant.Count > 0)
                    .Average(x => (double)x.Second.Count(x.First.Demand.Relevant.ContainsKey) / x.First.Demand.Relevant.Count), 4),
            ["without_push"] = Math.Round((double)pushed.Count(p => p.Count == 0) / Math.Max(ranked.Count, 1), 3),
        };
    }

    /// <summary>ROC AUC of scores of relevant against non-relevant top pairs (ties count half).</summary>
    static double Auc(IReadOnlyList<Ranked> ranked)
    {
        var pairs = ranked.SelectMany(r => r.Top.Select(m => (m.Score, Relevant: r.Demand.Relevant.ContainsKey(m.Id)))).ToList();
        var positives = pairs.Where(p => p.Relevant).Select(p => p.Score).ToList();
        var negatives = pairs.Where(p => !p.Relevant).Select(p => p.Score).Order().ToArray();
        if (positives.Count == 0 || negatives.Length == 0) return 0;
        double wins = 0;
        foreach (var score in positives)
        {
            var below = LowerBound(negatives, score);
            var equal = LowerBound(negatives, score + 1) - below;
            wins += below + equal / 2.0;
        }
        return wins / positives.Count / negatives.Length;
    }

    static int LowerBound(int[] sorted, int value)
    {
        var (lo, hi) = (0, sorted.Length);
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    static Dictionary<string, object> Ranking(IReadOnlyList<Ranked> ranked, int k)
    {
        var metrics = ranked.Select(r => Metrics.Of([.. r.Top.Select(m => m.Id)], r.Demand.Relevant, k)).ToList();
        return new()
        {
            ["n"] = metrics.Count,
            [$"ndcg@{k}"] = Math.Round(metrics.Average(m => m.Ndcg), 4),
            [$"p@{k}"] = Math.Round(metrics.Average(m => m.Precision), 4),
            [$"recall@{k}"] = Math.Round(metrics.Average(m => m.Recall), 4),
            ["mrr"] = Math.Round(metrics.Average(m => m.Rr), 4),
        };
    }

    sealed record Metrics(double Ndcg, double Precision, double Recall, double Rr)
    {
        public static Metrics Of(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> relevant, int k)
        {
            double dcg = 0, rr = 0;
            var found = 0;
            for (var i = 0; i < Math.Min(k, ranked.Count); i++)
            {
                if (!relevant.TryGetValue(ranked[i], out var grade) || grade < 1) continue;
                dcg += (Math.Pow(2, grade) - 1) / Math.Log2(i + 2);
                found++;
                if (rr == 0) rr = 1.0 / (i + 1);
            }
            var ideal = relevant.Values.OrderDescending().Take(k).Select((g, i) => (Math.Pow(2, g) - 1) / Math.Log2(i + 2)).Sum();
            return new Metrics(ideal == 0 ? 0 : dcg / ideal, (double)found / k, relevant.Count == 0 ? 0 : (double)found / relevant.Count, rr);
        }
    }
}
