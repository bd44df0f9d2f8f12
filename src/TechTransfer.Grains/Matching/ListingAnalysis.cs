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

    /// <summary>Text fields and their weight in a query; each also has a bigram twin (name + "_bi").</summary>
    public static readonly (string Field, float Boost)[] TextFields = [(Title, 1.5f), (Body, 1.0f), (Keywords, 2.0f)];

    /// <summary>Built once per process: the SmartCn dictionaries take ~180 ms to load.</summary>
    public static readonly Analyzer Analyzer = Create();

    static Analyzer Create()
    {
        var words = new SmartChineseAnalyzer(Version);
        var bigrams = new CjkBigramAnalyzer();
        var perField = new Dictionary<string, Analyzer>();
        foreach (var (field, _) in TextFields) perField[field + Bigrams] = bigrams;
        return new PerFieldAnalyzerWrapper(words, perField);
    }

    /// <summary>The analysed terms of <paramref name="text"/> for <paramref name="field"/>, in order, with repeats.</summary>
    public static List<string> Terms(string field, string text)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return terms;
        using var stream = Analyzer.GetTokenStream(field, new StringReader(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(term.ToString());
        stream.End();
        return terms;
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
