using TechTransfer.Matching;

namespace TechTransfer.Commands;

/// <summary>
/// techtransfer term-stats: the words of a corpus by document frequency, the candidates for the reviewed stop-word
/// file (src/TechTransfer.Grains/Matching/stopwords.txt). Words are SmartCn words of title, abstract and keywords,
/// as matching analyses them; each line says whether the word is already filtered and why.
/// </summary>
public static class TermStatsCommand
{
    public static Task<int> RunAsync(CommandLine args)
    {
        var top = args.Int("top", 400);
        var documentFrequency = new Dictionary<string, int>();
        var count = 0;
        foreach (var listing in EvalData.Achievements(args.Required("achievements")))
        {
            count++;
            var text = string.Join('\n', listing.Title, listing.Body, string.Join(' ', listing.Keywords));
            foreach (var word in ListingAnalysis.Terms(ListingAnalysis.Title, text).ToHashSet())
                documentFrequency[word] = documentFrequency.GetValueOrDefault(word) + 1;
        }
        System.Console.WriteLine($"# {count} documents; word\tdf\tshare\tfiltered");
        foreach (var (word, df) in documentFrequency.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(top))
            System.Console.WriteLine($"{word}\t{df}\t{(double)df / count:P1}\t{MeaningfulTerms.WhyNot(word) ?? ""}");
        return Task.FromResult(0);
    }
}
