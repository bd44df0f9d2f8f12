using TechTransfer.Listings;

namespace TechTransfer.Matching;

/// <summary>
/// A unit of meaning of a listing: a keyword its author declared, a known keyword of the market found in its
/// title, or a meaningful word of its title and keywords. <see cref="Text"/> is lower-cased, as it is looked for
/// in the other side's text; <see cref="Surface"/> is how the author wrote it. <see cref="Weight"/> is its
/// specificity in the market, 0–1: BM25 idf over both sides, divided by the idf of a word only one listing uses.
/// </summary>
public sealed record Concept(string Text, string Surface, double Weight, bool Declared);

/// <summary>
/// How much of each side's specific content the other side covers. <see cref="DemandCoverage"/>: the share of the
/// demand's concept weight found in the achievement's text; <see cref="AchievementCoverage"/>: the share of the
/// achievement's headline (title and keywords) found in the demand's text; <see cref="DeclaredWeight"/>: the
/// specificity of the shared concepts either author declared as a keyword; <see cref="SpecificWeight"/>: how far
/// the shared concepts are more specific than a word that one listing in a hundred uses; <see cref="Shared"/>: the
/// shared concepts, most telling first.
/// </summary>
public sealed record PairEvidence(
    double DemandCoverage, double AchievementCoverage, double DeclaredWeight, double SpecificWeight, IReadOnlyList<Concept> Shared);

/// <summary>
/// Text evidence of a pair, absolute: it depends on the two listings' own text and on how specific their words
/// are in the market, never on which other listings were candidates (a score relative to the best hit ranks well
/// and means nothing: the best hit of any query looks strong). The same pair gets the same evidence whichever side
/// was published second.
/// </summary>
public static class TextEvidence
{
    /// <summary>Concepts of a listing's headline (title and keywords), each once, weighted by <paramref name="weight"/>.</summary>
    public static IReadOnlyList<Concept> ConceptsOf(ListingDocument listing, Func<string, double> weight, Func<string, bool> isKnownKeyword,
        IReadOnlyList<(string Term, string Surface)>? headlineWords = null)
    {
        var concepts = new Dictionary<string, Concept>(StringComparer.Ordinal);
        void Add(string text, string surface, bool declared, bool phrase)
        {
            if (text.Length == 0 || concepts.ContainsKey(text) || !MeaningfulTerms.IsMeaningful(text)) return;
            // A phrase made only of words that say nothing (研究进展, 成因分析) says nothing either; lone characters are
            // how SmartCn splits words it does not know (血府逐瘀汤), so they do not count against a phrase.
            if (phrase && SaysNothing(text)) return;
            concepts[text] = new Concept(text, surface, weight(text), declared);
        }

        // A keyword list longer than an author writes is an index (imported records carry lists of 12–15 such as
        // 试验、国内、市场): its entries are the listing's words, not what its author declared it is about.
        var declares = listing.Keywords.Length <= MaxDeclaredKeywords;
        foreach (var keyword in listing.Keywords) Add(Normalize(keyword), keyword.Trim(), declared: declares, phrase: true);
        foreach (var (text, surface) in KnownKeywordsIn(listing.Title, isKnownKeyword)) Add(text, surface, declared: false, phrase: true);
        foreach (var (term, surface) in headlineWords ?? HeadlineWords(listing)) Add(term, surface, declared: false, phrase: false);
        return [.. concepts.Values];
    }

    static bool SaysNothing(string phrase)
    {
        if (EmptyPhrases.TryGetValue(phrase, out var empty)) return empty;
        empty = ListingAnalysis.Terms(ListingAnalysis.Title, phrase) is { Count: > 1 } words
            && words.All(w => MeaningfulTerms.WhyNot(w) is "stopword" or "number");
        if (EmptyPhrases.Count < 100_000) EmptyPhrases.TryAdd(phrase, empty);
        return empty;
    }

    // Keywords recur across the market: each is segmented once, not once per match it is a candidate of.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> EmptyPhrases = new(StringComparer.Ordinal);

    /// <summary>The SmartCn words of a listing's title and keywords, with what the author wrote, as the index holds them.</summary>
    public static List<(string Term, string Surface)> HeadlineWords(ListingDocument listing) =>
    [
        .. ListingAnalysis.Tokens(ListingAnalysis.Title, listing.Title),
        .. ListingAnalysis.Tokens(ListingAnalysis.Keywords, string.Join(' ', listing.Keywords)),
    ];

    /// <summary>The evidence that <paramref name="achievement"/> and <paramref name="demand"/> are about the same thing.</summary>
    /// <param name="common">The specificity of a word that one listing in a hundred uses.</param>
    public static PairEvidence Compare(
        ListingDocument demand, IReadOnlyList<Concept> demandConcepts, ListingDocument achievement, IReadOnlyList<Concept> achievementConcepts,
        double common)
    {
        var (demandText, achievementText) = (FullText(demand).ToLowerInvariant(), FullText(achievement).ToLowerInvariant());
        var (demandFound, demandTotal) = Covered(demandConcepts, achievementText);
        var (achievementFound, achievementTotal) = Covered(achievementConcepts, demandText);
        var shared = new Dictionary<string, Concept>(StringComparer.Ordinal);
        // A concept both sides name keeps its declared flag from whichever side declared it.
        foreach (var c in demandConcepts.Where(c => achievementText.Contains(c.Text, StringComparison.Ordinal))
                     .Concat(achievementConcepts.Where(c => demandText.Contains(c.Text, StringComparison.Ordinal))))
            if (!shared.TryGetValue(c.Text, out var seen) || c.Declared && !seen.Declared) shared[c.Text] = c;
        return new PairEvidence(
            demandTotal == 0 ? 0 : demandFound / demandTotal,
            achievementTotal == 0 ? 0 : achievementFound / achievementTotal,
            shared.Values.Where(c => c.Declared).Sum(c => c.Weight),
            shared.Values.Sum(c => Math.Max(0, c.Weight - common)),
            Telling(shared.Values));
    }

    /// <summary>
    /// The shared terms as a reader should see them, most telling first: declared keywords whole; any other shared word
    /// as the longest run of whole words both sides hold around it (SmartCn cuts words it does not know: 尖晶石 →
    /// 尖 + 晶石); and not at all where the word is only a piece across two words of the text (法制 in 溶胶凝胶法制备).
    /// Only for the pairs that are kept: it segments text again.
    /// </summary>
    public static string[] ShownTerms(PairEvidence evidence, ListingDocument demand, ListingDocument achievement, int max)
    {
        var demandFull = FullText(demand);
        var (demandText, achievementText) = (demandFull.ToLowerInvariant(), FullText(achievement).ToLowerInvariant());
        var shown = new List<Concept>();
        foreach (var c in evidence.Shared)
            if (c.Declared) shown.Add(c);
            else if (Widened(c, demandText, achievementText, demandFull) is { } whole) shown.Add(whole);
        // Were every shared word a piece, the pieces are still what the pair shares: better than no reason.
        return [.. Telling(shown.Count > 0 ? shown.DistinctBy(c => c.Text) : evidence.Shared).Take(max).Select(c => c.Surface)];
    }

    static Concept? Widened(Concept c, string demandText, string achievementText, string demandFull)
    {
        var (start, length) = (demandText.IndexOf(c.Text, StringComparison.Ordinal), c.Text.Length);
        if (start < 0) return c;
        // The longest text around the word that both sides hold.
        for (var i = start; i >= 0; i = demandText.IndexOf(c.Text, i + 1, StringComparison.Ordinal))
            for (var j = achievementText.IndexOf(c.Text, StringComparison.Ordinal); j >= 0; j = achievementText.IndexOf(c.Text, j + 1, StringComparison.Ordinal))
            {
                var (left, right) = (0, 0);
                while (i - left > 0 && j - left > 0 && Joins(demandText[i - left - 1]) && demandText[i - left - 1] == achievementText[j - left - 1]
                       && c.Text.Length + left + right < MaxKeywordLength) left++;
                while (i + c.Text.Length + right < demandText.Length && j + c.Text.Length + right < achievementText.Length
                       && Joins(demandText[i + c.Text.Length + right]) && demandText[i + c.Text.Length + right] == achievementText[j + c.Text.Length + right]
                       && c.Text.Length + left + right < MaxKeywordLength) right++;
                if (c.Text.Length + left + right > length) (start, length) = (i - left, c.Text.Length + left + right);
            }
        var span = demandFull.Substring(start, length);
        var at = span.ToLowerInvariant().IndexOf(c.Text, StringComparison.Ordinal);
        var (from, to) = (at, at + c.Text.Length);
        // Whole words only: a word of the span that crosses the concept's edge means the concept is a piece of two words.
        var words = ListingAnalysis.Analyse(ListingAnalysis.Title, span);
        if (words.Any(w => w.Start < from && w.End > from || w.Start < to && w.End > to)) return null;
        // Then grow by the meaningful words that touch it on either side.
        for (var grown = true; grown;)
        {
            grown = false;
            if (words.LastOrDefault(w => w.End == from) is { } before && MeaningfulTerms.IsMeaningful(before.Surface)) (from, grown) = (before.Start, true);
            if (words.FirstOrDefault(w => w.Start == to) is { } after && MeaningfulTerms.IsMeaningful(after.Surface)) (to, grown) = (after.End, true);
        }
        var surface = span[from..to];
        return c with { Text = surface.ToLowerInvariant(), Surface = surface };
    }

    static bool Joins(char c) => char.IsLetterOrDigit(c) && !MeaningfulTerms.IsStopword(c.ToString());

    /// <summary>Declared keywords first, then by weight; a term inside a longer shared term is not repeated.</summary>
    static List<Concept> Telling(IEnumerable<Concept> shared)
    {
        var ordered = shared.OrderByDescending(c => c.Declared).ThenByDescending(c => c.Weight).ThenByDescending(c => c.Text.Length)
            .ThenBy(c => c.Text, StringComparer.Ordinal).ToList();
        return [.. ordered.Where(c => !ordered.Any(o => o.Text.Length > c.Text.Length && o.Text.Contains(c.Text, StringComparison.Ordinal)))];
    }

    static (double Found, double Total) Covered(IReadOnlyList<Concept> concepts, string otherText)
    {
        double found = 0, total = 0;
        foreach (var c in concepts)
        {
            total += c.Weight;
            if (otherText.Contains(c.Text, StringComparison.Ordinal)) found += c.Weight;
        }
        return (found, total);
    }

    static string FullText(ListingDocument listing) => listing.Title + "\n" + string.Join('\n', listing.Keywords) + "\n" + listing.Body;

    /// <summary>Known keywords of the market that occur in <paramref name="text"/>, longest first where they overlap.</summary>
    internal static IEnumerable<(string Text, string Surface)> KnownKeywordsIn(string text, Func<string, bool> isKnownKeyword)
    {
        var normalized = text.ToLowerInvariant(); // same length as text: positions map back to what the author wrote
        for (var start = 0; start < normalized.Length; start++)
        {
            if (!char.IsLetterOrDigit(normalized[start])) continue;
            for (var length = MaxKeywordLength; length >= 2; length--)
            {
                if (start + length > normalized.Length) continue;
                var candidate = normalized.Substring(start, length);
                if (!candidate.All(char.IsLetterOrDigit) || !isKnownKeyword(candidate)) continue;
                yield return (candidate, text.Substring(start, length));
            }
        }
    }

    internal const int MaxKeywordLength = 12;

    /// <summary>More keywords than this is an index, not a declaration: authors declare 2–8 (median 4 in the dev set).</summary>
    internal const int MaxDeclaredKeywords = 8;

    internal static string Normalize(string text) => text.Trim().ToLowerInvariant();
}
