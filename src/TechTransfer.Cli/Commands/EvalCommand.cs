using System.Text.Json;
using TechTransfer.Matching;
using TechTransfer.Terminal;

namespace TechTransfer.Commands;

/// <summary>
/// techtransfer eval: matching quality of the production MatchEngine on a labelled set.
/// nDCG uses gain 2^grade − 1; P@k, Recall@k and MRR@k count any grade ≥ 1 as relevant.
/// Prints one JSON object on its last line.
/// </summary>
public static class EvalCommand
{
    public static Task<int> RunAsync(CommandLine args)
    {
        var k = args.Int("k", 10);
        using var index = new ListingIndex();
        var achievements = EvalData.Achievements(args.Required("achievements")).ToList();
        var progress = new ProgressBar("index", achievements.Count);
        for (var i = 0; i < achievements.Count; i++)
        {
            index.Upsert(achievements[i]);
            if (i % 500 == 0) progress.Report(i);
        }
        index.Refresh();
        progress.Done();

        var engine = new MatchEngine(index, new MatchingOptions());
        var demands = EvalData.Demands(args.Required("demands"));
        var scores = new List<(string Kind, Metrics Metrics)>();
        var ask = new ProgressBar("match", demands.Count);
        foreach (var (demand, i) in demands.Select((d, i) => (d, i)))
        {
            var ranked = engine.FindMatches(EvalData.AsListing(demand), k, applyThreshold: false).Select(m => m.AchievementId).ToList();
            scores.Add((demand.Kind, Metrics.Of(ranked, demand.Relevant, k)));
            if (i % 50 == 0) ask.Report(i);
        }
        ask.Done();

        var result = new Dictionary<string, object>(Metrics.Average(scores.Select(s => s.Metrics), k))
        {
            ["by_kind"] = scores.GroupBy(s => s.Kind).OrderBy(g => g.Key)
                .ToDictionary(g => g.Key, g => Metrics.Average(g.Select(s => s.Metrics), k)),
        };
        System.Console.WriteLine(JsonSerializer.Serialize(result));
        return Task.FromResult(0);
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

        public static Dictionary<string, object> Average(IEnumerable<Metrics> all, int k)
        {
            var list = all.ToList();
            return new()
            {
                ["n"] = list.Count,
                [$"ndcg@{k}"] = Math.Round(list.Average(m => m.Ndcg), 4),
                [$"p@{k}"] = Math.Round(list.Average(m => m.Precision), 4),
                [$"recall@{k}"] = Math.Round(list.Average(m => m.Recall), 4),
                ["mrr"] = Math.Round(list.Average(m => m.Rr), 4),
            };
        }
    }
}
