using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace TechTransfer.Matching;

/// <summary>
/// How listing text is analysed, in one place for indexing, querying, eval and benchmarks.
/// Words: SmartChineseAnalyzer (HMM segmentation, Chinese and English, stop words removed).
/// Bigrams: overlapping CJK character bigrams on the same text, for recall where segmentation splits a term
/// differently in the query and in the document (measured in docs/matching.md).
/// </summary>
public static class ListingAnalysis
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    public const string Title = "title";
    public const string Body = "body";
    public const string Keywords = "kw";
    public const string Bigrams = "_bi";

    /// <summary>
    /// The indexed text fields: which text of a listing each holds and its weight in a query. Words where
    /// segmentation pays, in the short title and keywords; bigrams of all three. The body has no word field:
    /// segmenting long abstracts cost 60% of indexing time and measured worse than its bigrams alone; a bigram
    /// match weighs 0.8 of a word match because it is weaker evidence (docs/matching.md).
    /// </summary>
    public static readonly (string Field, string Source, float Boost)[] TextFields =
    [
        (Title, Title, 1.5f), (Title + Bigrams, Title, 1.2f),
        (Body + Bigrams, Body, 0.8f),
        (Keywords, Keywords, 2.0f), (Keywords + Bigrams, Keywords, 1.6f),
    ];

    public static bool IsBigramField(string field) => field.EndsWith(Bigrams, StringComparison.Ordinal);

    /// <summary>Built once per process: the SmartCn dictionaries take ~180 ms to load.</summary>
    public static readonly Analyzer Analyzer = Create();

    static Analyzer Create()
    {
        var words = new SmartChineseAnalyzer(Version);
        var bigrams = new CjkBigramAnalyzer();
        var perField = new Dictionary<string, Analyzer>();
        foreach (var (field, _, _) in TextFields) if (IsBigramField(field)) perField[field] = bigrams;
        return new PerFieldAnalyzerWrapper(words, perField);
    }

    /// <summary>The analysed terms of <paramref name="text"/> for <paramref name="field"/>, in order, with repeats.</summary>
    public static List<string> Terms(string field, string text) => [.. Tokens(field, text).Select(t => t.Term)];

    /// <summary>
    /// Each analysed term with the text it came from: SmartCn stems English ("detection" → "detect"), and
    /// explanations and highlights must show what the user wrote.
    /// </summary>
    public static List<(string Term, string Surface)> Tokens(string field, string text) =>
        [.. Analyse(field, text).Select(t => (t.Term, t.Surface))];

    /// <summary>One analysed token: the term, what the author wrote (and where), and how far it moved from the token before.</summary>
    public sealed record Token(string Term, string Surface, int PositionIncrement, int Start, int End);

    /// <summary>The analysed tokens of <paramref name="text"/> for <paramref name="field"/>, in order, with repeats.</summary>
    public static List<Token> Analyse(string field, string text)
    {
        var tokens = new List<Token>();
        if (string.IsNullOrWhiteSpace(text)) return tokens;
        using var stream = Analyzer.GetTokenStream(field, new StringReader(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        var position = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
            tokens.Add(new Token(term.ToString(), text[offset.StartOffset..offset.EndOffset], position.PositionIncrement, offset.StartOffset, offset.EndOffset));
        stream.End();
        return tokens;
    }

    /// <summary>
    /// Tokens analysed once, indexed as they are: a listing's title and keyword words are both indexed and stored
    /// (for match evidence), and SmartCn is the slow part of indexing.
    /// </summary>
    public sealed class AnalysedStream : TokenStream
    {
        readonly IReadOnlyList<Token> tokens;
        readonly ICharTermAttribute term;
        readonly IPositionIncrementAttribute position;
        int next;

        public AnalysedStream(IReadOnlyList<Token> tokens)
        {
            this.tokens = tokens;
            term = AddAttribute<ICharTermAttribute>();
            position = AddAttribute<IPositionIncrementAttribute>();
        }

        public override bool IncrementToken()
        {
            if (next >= tokens.Count) return false;
            ClearAttributes();
            var token = tokens[next++];
            term.SetEmpty().Append(token.Term);
            position.PositionIncrement = token.PositionIncrement;
            return true;
        }

        public override void Reset()
        {
            base.Reset();
            next = 0;
        }
    }

    /// <summary>Standard tokenizer → width-normalised, lower-cased CJK bigrams (unigrams for lone characters).</summary>
    sealed class CjkBigramAnalyzer : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream result = new CJKWidthFilter(source);
            result = new LowerCaseFilter(Version, result);
            result = new CJKBigramFilter(result, CJKScript.HAN | CJKScript.HIRAGANA | CJKScript.KATAKANA | CJKScript.HANGUL, outputUnigrams: false);
            return new TokenStreamComponents(source, result);
        }
    }
}
