using System.Globalization;
using System.Reflection;

namespace TechTransfer.Matching;

/// <summary>
/// Which analysed words can carry meaning in a match: evidence, explanations and search use only these. A word is
/// not meaningful when it is a lone character, a number (with or without a unit), or in the reviewed stop-word file
/// (function words, and the boilerplate of listings and papers: 我单位, 需要, 技术, 方法, 研究…). The file was drawn from
/// document frequency on the corpus (`techtransfer term-stats`) and reviewed by hand; what is frequent but specific
/// (电池, 混凝土) stays, because document frequency already weighs it down where it is common.
/// </summary>
public static class MeaningfulTerms
{
    static readonly HashSet<string> Stopwords = Load();

    public static bool IsMeaningful(string word) => WhyNot(word) is null;

    /// <summary>Whether <paramref name="word"/> is in the stop-word file (lone characters too: 的 is, 锂 is not).</summary>
    public static bool IsStopword(string word) => Stopwords.Contains(word.ToLowerInvariant());

    /// <summary>Why <paramref name="word"/> cannot carry meaning (null: it can).</summary>
    public static string? WhyNot(string word)
    {
        var (letters, cjk, digits) = (0, 0, 0);
        foreach (var c in word)
        {
            if (IsCjk(c)) cjk++;
            else if (char.IsLetter(c)) letters++;
            else if (char.IsDigit(c)) digits++;
        }
        if (cjk + letters == 0) return "number";
        if (cjk == 0 && letters == 1 && digits == 0) return "lone letter"; // "a" says nothing; "5G", "3D", "CO2" do
        if (cjk == 1 && letters == 0) return "lone character";
        if (Stopwords.Contains(word.ToLowerInvariant())) return "stopword";
        return null;
    }

    static bool IsCjk(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter && c >= '\u2E80';

    static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("stopwords.txt")
            ?? throw new InvalidOperationException("stopwords.txt is not embedded");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            foreach (var word in line.Split('#')[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                words.Add(word.ToLowerInvariant());
        }
        return words;
    }
}
