using System.Text.Json;
using TechTransfer.Storage;

namespace TechTransfer.PushBench;

/// <summary>
/// Realistic listing texts for the benchmark, drawn from the demo catalogue that ships with the repository
/// (src/TechTransfer.Server/Demo/achievements.jsonl: real titles, abstracts and keywords of Chinese papers).
/// Synthetic listings recombine them: a title's head with another's tail, sentences from the pool, real keywords.
/// </summary>
public sealed class Corpus
{
    public sealed record Source(string Title, string Summary, string[] Keywords, string TechField);

    /// <summary>The text of one listing, either side.</summary>
    public sealed record Text(string Title, string Body, string[] Keywords, string TechField);

    readonly Source[] sources;
    readonly string[] sentences;
    readonly string[] keywords;

    Corpus(Source[] sources)
    {
        this.sources = sources;
        sentences = [.. sources.SelectMany(s => s.Summary.Split('。', '.', '；', ';')).Select(s => s.Trim()).Where(s => s.Length > 8).Distinct()];
        keywords = [.. sources.SelectMany(s => s.Keywords).Where(k => k.Length >= 2).Distinct()];
    }

    public static Corpus Load(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, "src", "TechTransfer.Server", "Demo", "achievements.jsonl");
        var sources = File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonSerializer.Deserialize<Source>(l, TechTransferJson.Options)!)
            .ToArray();
        return new Corpus(sources);
    }

    /// <summary>An achievement's text: a recombined title, 4–8 sentences, 3–5 keywords (two from its own source).</summary>
    public Text Achievement(Random random)
    {
        var source = sources[random.Next(sources.Length)];
        var other = sources[random.Next(sources.Length)].Title;
        var title = source.Title[..(source.Title.Length / 2)] + other[(other.Length / 2)..];
        var body = string.Join("。", Enumerable.Range(0, random.Next(4, 9)).Select(_ => sentences[random.Next(sentences.Length)])) + "。";
        return new Text(title, body, Keywords(random, source), source.TechField);
    }

    /// <summary>A technology need as enterprises write them (the demo demands' style) plus one or two sentences of context.</summary>
    public Text Demand(Random random)
    {
        var source = sources[random.Next(sources.Length)];
        var words = Keywords(random, source);
        var context = string.Join("。", Enumerable.Range(0, random.Next(1, 3)).Select(_ => sentences[random.Next(sentences.Length)]));
        return new Text($"寻求{words[0]}相关技术合作", $"我单位需要以下方向的技术：{string.Join("、", words)}。{context}。", words, source.TechField);
    }

    string[] Keywords(Random random, Source source) =>
        [.. source.Keywords.Where(k => k.Length >= 2).Take(2)
            .Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => keywords[random.Next(keywords.Length)]))
            .Distinct()];
}
