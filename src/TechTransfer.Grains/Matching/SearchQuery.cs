using System.Globalization;
using Lucene.Net.Analysis.TokenAttributes;

namespace TechTransfer.Matching;

/// <summary>
/// One unit of meaning of a search text: a meaningful word as SmartCn segments it, a run of characters SmartCn
/// could not segment (血府逐瘀汤), or a word with a lone character that belongs to it (锂 + 离子 → 锂离子). A document
/// holds the concept when its title or keywords hold <see cref="Words"/> in a row, or any of its bigram fields holds
/// <see cref="Bigrams"/> in a row (the text verbatim, however the document was segmented), or it declares it as a
/// keyword. <see cref="Text"/> is lower-cased; <see cref="Surface"/> is what the user wrote.
/// </summary>
public sealed record QueryConcept(string Text, string Surface, IReadOnlyList<string> Words, IReadOnlyList<string> Bigrams);

/// <summary>Several concepts the user wrote together, without a space (深度学习): found verbatim, they rank first.</summary>
public sealed record QueryPhrase(string Surface, IReadOnlyList<string> Bigrams);

/// <summary>A word of the search text that is not searched, and why (MeaningfulTerms.WhyNot).</summary>
public sealed record IgnoredWord(string Surface, string Reason);

/// <summary>Why a search finds nothing, in Chinese and in English.</summary>
public sealed record SearchHint(string Zh, string En);

/// <summary>
/// How a free-text search reads the user's text (docs/matching.md, "Search"). The text is analysed, never parsed,
/// into concepts: meaningful words only (MeaningfulTerms), so 的, 技术 or 研究 neither find nor rank anything. A
/// document must hold most of the concepts (<see cref="MinimumShouldMatch"/>); phrases the user wrote rank first.
/// </summary>
public sealed class SearchQuery
{
    /// <summary>Concepts beyond this many are not searched (the API takes 500 characters; this bounds the query).</summary>
    public const int MaxConcepts = 32;

    /// <summary>Phrases longer than this many bigrams are not boosted: a verbatim match of a long text means little more.</summary>
    const int MaxPhraseBigrams = 24;

    SearchQuery(string text, IReadOnlyList<QueryConcept> concepts, IReadOnlyList<QueryPhrase> phrases, IReadOnlyList<IgnoredWord> ignored)
    {
        Text = text;
        Concepts = concepts;
        Phrases = phrases;
        Ignored = ignored;
    }

    /// <summary>The text as the user wrote it (trimmed).</summary>
    public string Text { get; }

    /// <summary>What a document must hold most of, in the order written.</summary>
    public IReadOnlyList<QueryConcept> Concepts { get; }

    /// <summary>Runs of two or more concepts written together.</summary>
    public IReadOnlyList<QueryPhrase> Phrases { get; }

    /// <summary>Words that are not searched (common words, lone characters, numbers).</summary>
    public IReadOnlyList<IgnoredWord> Ignored { get; }

    /// <summary>No text: browse everything that passes the filters.</summary>
    public bool IsBrowse => Text.Length == 0;

    /// <summary>Text without a single meaningful word: finds nothing, and <see cref="HintFor"/> says why.</summary>
    public bool FindsNothing => !IsBrowse && Concepts.Count == 0;

    /// <summary>
    /// How many concepts a document must hold: all of one or two; of more, 60% and at least two (3 → 2, 4 → 3,
    /// 5 → 3, 7 → 5, 10 → 6). A long query still finds the documents that hold most of it, and a document sharing
    /// one generic word of a multi-word query is not a hit.
    /// </summary>
    public int MinimumShouldMatch => RequiredOf(Concepts.Count);

    public static int RequiredOf(int concepts) => concepts <= 2 ? concepts : Math.Max(2, (int)Math.Ceiling(0.6 * concepts));

    /// <summary>What a hit highlights: the phrases and the concepts as the user wrote them, never a fragment of one.</summary>
    public IReadOnlyList<string> HighlightTerms =>
        [.. Phrases.Select(p => p.Surface).Concat(Concepts.Select(c => c.Surface)).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>What a text without anything searchable in it (punctuation, control characters) is told.</summary>
    public static readonly SearchHint NothingSearchable =
        new("没有可检索的词语，请输入具体的技术词语", "Nothing in the query can be searched; please enter a specific technical term.");

    /// <summary>
    /// Why a search found nothing: the text has no meaningful word (「的」是常用词…), or no listing holds most of its
    /// words. Null when it found something, or browses.
    /// </summary>
    public SearchHint? HintFor(int total)
    {
        if (IsBrowse || total > 0) return null;
        if (Concepts.Count > 1)
        {
            var words = Concepts.Take(6).Select(c => c.Surface).ToList();
            return new($"没有同时包含{string.Concat(words.Select(w => $"「{w}」"))}中至少 {MinimumShouldMatch} 个词语的结果，可减少或更换词语",
                $"No listing holds at least {MinimumShouldMatch} of {string.Join(", ", words.Select(w => $"“{w}”"))}; try fewer or other words.");
        }
        if (Concepts.Count == 1) return null;
        if (Ignored.Count == 0) return NothingSearchable;
        var groups = Ignored.GroupBy(w => w.Reason).Select(g => (Reason: g.Key, Words: g.Select(w => w.Surface).Distinct().Take(5).ToList())).ToList();
        var zh = string.Join("，", groups.Select(g => string.Concat(g.Words.Select(w => $"「{w}」")) + "是" + Zh(g.Reason)));
        var en = string.Join("; ", groups.Select(g => string.Join(", ", g.Words.Select(w => $"“{w}”")) + (g.Words.Count > 1 ? " are " : " is ") + En(g.Reason, g.Words.Count > 1)));
        return new(zh + "，请输入具体的技术词语", en + "; please enter a specific technical term.");
    }

    static string Zh(string reason) => reason switch
    {
        "stopword" => "常用词",
        "lone character" => "单个汉字",
        "lone letter" => "单个字母",
        "number" => "数字",
        _ => "无法检索的词",
    };

    static string En(string reason, bool plural) => (reason, plural) switch
    {
        ("stopword", false) => "a common word",
        ("stopword", true) => "common words",
        ("lone character", false) => "a single character",
        ("lone character", true) => "single characters",
        ("lone letter", false) => "a single letter",
        ("lone letter", true) => "single letters",
        ("number", false) => "a number",
        ("number", true) => "numbers",
        (_, false) => "not searchable",
        (_, true) => "not searchable",
    };

    /// <summary>The empty query: browse.</summary>
    public static readonly SearchQuery Browse = new("", [], [], []);

    /// <summary>
    /// Reads <paramref name="text"/>. <paramref name="bigramFrequency"/> (documents holding a bigram) decides which
    /// neighbour a lone character joins; without it a lone character joins the word after it.
    /// </summary>
    public static SearchQuery Parse(string text, Func<string, int>? bigramFrequency = null)
    {
        text = text.Trim();
        if (text.Length == 0) return Browse;
        var items = new List<Item>();
        foreach (var token in Analyse(text))
        {
            // SmartCn separates Chinese from Latin letters and digits; contiguous Latin tokens (Li4Ti5O12, 60kV) are one item.
            if (!HasCjk(token.Term) && items.Count > 0 && items[^1] is { Latin: true } latin && latin.End == token.Start)
            {
                latin.End = token.End;
                latin.Words.Add(token.Term);
                continue;
            }
            items.Add(new Item(token.Start, token.End, token.Term, latin: !HasCjk(token.Term)));
        }

        foreach (var item in items) item.Classify(text);
        JoinLoneCharacters(text, items, bigramFrequency);
        var ignored = items.Where(i => i.Kind == ItemKind.Ignored).Select(i => new IgnoredWord(text[i.Start..i.End], i.Reason!)).ToList();

        var concepts = new List<QueryConcept>();
        var conceptItems = new List<Item>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items.Where(i => i.Kind == ItemKind.Concept))
        {
            var surface = text[item.Start..item.End];
            var key = surface.ToLowerInvariant();
            if (concepts.Count >= MaxConcepts || !seen.Add(key)) continue;
            var bigrams = ListingAnalysis.Terms(ListingAnalysis.Title + ListingAnalysis.Bigrams, surface);
            if (bigrams.Count == 0) continue;
            concepts.Add(new QueryConcept(key, surface, [.. item.Words], bigrams));
            conceptItems.Add(item);
        }

        // Phrases: the concepts written together (no space or punctuation between their tokens), from the first to the last.
        var phrases = new List<QueryPhrase>();
        var chunkStart = 0;
        for (var i = 1; i <= items.Count; i++)
        {
            if (i < items.Count && items[i].Start == items[i - 1].End) continue;
            var inChunk = items.Skip(chunkStart).Take(i - chunkStart).Where(conceptItems.Contains).ToList();
            if (inChunk.Count >= 2)
            {
                var surface = text[inChunk[0].Start..inChunk[^1].End];
                var bigrams = ListingAnalysis.Terms(ListingAnalysis.Title + ListingAnalysis.Bigrams, surface);
                if (bigrams.Count is > 1 and <= MaxPhraseBigrams) phrases.Add(new QueryPhrase(surface, bigrams));
            }
            chunkStart = i;
        }
        return new SearchQuery(text, concepts, phrases, ignored);
    }

    /// <summary>
    /// SmartCn splits words it does not know into characters. A run of such characters is a concept of its own
    /// (血府逐瘀汤 → 血 府 逐 瘀 汤); a single one joins the word beside it it is more often written with (锂 离子 → 锂离子,
    /// 电池 片 → 电池片), so that 锂离子电池 does not find 银离子; failing a word, a common character beside it (体 外 → 体外:
    /// 外 alone says nothing, 体外 does).
    /// </summary>
    static void JoinLoneCharacters(string text, List<Item> items, Func<string, int>? bigramFrequency)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].Kind != ItemKind.Lone) continue;
            var end = i;
            while (end + 1 < items.Count && items[end + 1].Kind == ItemKind.Lone && items[end + 1].Start == items[end].End) end++;
            if (end > i)
            {
                var run = items[i];
                foreach (var next in items.GetRange(i + 1, end - i)) run.Words.Add(next.Words[0]);
                run.End = items[end].End;
                run.Kind = ItemKind.Concept;
                items.RemoveRange(i + 1, end - i);
                continue;
            }
            var lone = items[i];
            var before = Neighbour(i - 1, lone, word: true);
            var after = Neighbour(i + 1, lone, word: true);
            if (before is null && after is null) (before, after) = (Neighbour(i - 1, lone, word: false), Neighbour(i + 1, lone, word: false));
            if (before is null && after is null)
            {
                lone.Kind = ItemKind.Ignored;
                lone.Reason = "lone character";
                continue;
            }
            var joinBefore = after is null
                || before is not null && bigramFrequency is not null
                   && bigramFrequency(text[(lone.Start - 1)..lone.End]) > bigramFrequency(text[lone.Start..(lone.End + 1)]);
            var into = joinBefore ? before! : after!;
            if (joinBefore) into.Words.Add(lone.Words[0]);
            else into.Words.Insert(0, lone.Words[0]);
            (into.Start, into.End) = (Math.Min(into.Start, lone.Start), Math.Max(into.End, lone.End));
            into.Kind = ItemKind.Concept;
            into.Reason = null;
            items.RemoveAt(i);
            i--;
        }

        // The Chinese word (or common character) right beside the lone character, without a space between.
        Item? Neighbour(int at, Item lone, bool word)
        {
            if (at < 0 || at >= items.Count) return null;
            var item = items[at];
            if (item.End != lone.Start && item.Start != lone.End) return null;
            return word ? item is { Kind: ItemKind.Concept, Latin: false } ? item : null
                : item is { Kind: ItemKind.Ignored, StopCharacter: true } ? item : null;
        }
    }

    enum ItemKind { Concept, Lone, Ignored }

    /// <summary>A stretch of the text: one SmartCn token, contiguous Latin tokens, or what lone characters were joined to.</summary>
    sealed class Item(int start, int end, string word, bool latin)
    {
        public int Start = start, End = end;
        public readonly List<string> Words = [word];
        public readonly bool Latin = latin;
        public ItemKind Kind;
        public string? Reason;

        /// <summary>A common character (的, 外): ignored alone, part of a word a lone character beside it makes (体外).</summary>
        public bool StopCharacter;

        public void Classify(string text)
        {
            var surface = text[Start..End];
            var stopword = !Latin && MeaningfulTerms.IsStopword(Words[0]);
            if (!Latin && Words.Count == 1 && Words[0].Length == 1)
            {
                (Kind, Reason, StopCharacter) = stopword ? (ItemKind.Ignored, "stopword", true) : (ItemKind.Lone, null, false);
                return;
            }
            Reason = MeaningfulTerms.WhyNot(Latin ? surface.ToLowerInvariant() : Words[0]);
            Kind = Reason is null ? ItemKind.Concept : ItemKind.Ignored;
        }
    }

    /// <summary>SmartCn's tokens with their offsets, each space-separated part analysed alone: SmartCn would join 细胞 体 into 细胞体.</summary>
    static List<(string Term, int Start, int End)> Analyse(string text)
    {
        var tokens = new List<(string, int, int)>();
        for (var start = 0; start < text.Length;)
        {
            while (start < text.Length && char.IsWhiteSpace(text[start])) start++;
            var end = start;
            while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
            if (end > start) Analyse(text[start..end], start, tokens);
            start = end;
        }
        return tokens;
    }

    static void Analyse(string part, int offsetBase, List<(string, int, int)> tokens)
    {
        using var stream = ListingAnalysis.Analyzer.GetTokenStream(ListingAnalysis.Title, new StringReader(part));
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) tokens.Add((term.ToString(), offsetBase + offset.StartOffset, offsetBase + offset.EndOffset));
        stream.End();
    }

    static bool HasCjk(string text) => text.Any(c => c >= '\u2E80' && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter);
}
