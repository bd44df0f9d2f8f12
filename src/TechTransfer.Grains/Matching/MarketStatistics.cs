using Lucene.Net.Index;
using Lucene.Net.Search;

namespace TechTransfer.Matching;

/// <summary>
/// How the market is split into partitions by listing id, and which of them an index holds. One partition (the
/// default) is the whole market on every host; with more, each host holds a few and a search is scattered to one
/// holder of each (docs/matching.md, "Partitions").
/// </summary>
public sealed record PartitionLayout(int Count, int[] Held)
{
    public static readonly PartitionLayout Whole = new(1, [0]);

    /// <summary>All <paramref name="count"/> partitions, or the ones listed.</summary>
    public static PartitionLayout Of(int count, IEnumerable<int>? held)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "at least one partition");
        int[] list = [.. (held ?? Enumerable.Range(0, count)).Distinct().Order()];
        if (list.Any(p => p < 0 || p >= count)) throw new ArgumentOutOfRangeException(nameof(held), $"partitions are 0 to {count - 1}");
        return new(count, list);
    }

    /// <summary>
    /// <paramref name="count"/> partitions of which a host holds those <paramref name="held"/> lists ("0,1"; "" none;
    /// null all), as `TechTransfer:Matching:HeldPartitions` and bench-match's --hold write them.
    /// </summary>
    public static PartitionLayout Parse(int count, string? held) => Of(count, held?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(p => int.TryParse(p, out var number) ? number
            : throw new FormatException($"held partitions are numbers separated by commas, not \"{held}\"")));

    /// <summary>The partition of a listing: its id's 128-bit hash, modulo the count (stable across builds and hosts).</summary>
    public int PartitionOf(string id) => Count == 1 ? 0 : (int)(ListingIndex.Key(id) % (UInt128)Count);

    public bool HoldsAll => Held.Length == Count;

    /// <summary>Committed with the files: an index reopened under another layout is rebuilt.</summary>
    public string Stamp => $"{Count}:{string.Join(',', Held)}";
}

/// <summary>
/// The statistics a read takes from the whole market rather than from the partitions it reads: document
/// frequencies, term and collection counts, the number of listings, whether a keyword is known. Every one is a sum
/// over partitions of a number each partition knows (a sum over segments, as Lucene's own statistics are), so the
/// market's value is the sum of what one holder of each partition says. A read given this view scores exactly as
/// one index holding the whole market would; a key it needs and was not given is recorded in <see cref="Missing"/>
/// (with this host's own value, used meanwhile), and the read is run again once the market's value is known.
/// </summary>
public sealed class MarketStatistics(IReadOnlyDictionary<string, long> market)
{
    /// <summary>Keys read but not given, with the reading host's own value.</summary>
    public Dictionary<string, long> Missing { get; } = new(StringComparer.Ordinal);

    public long Read(string key, Func<long> local)
    {
        if (market.TryGetValue(key, out var value)) return value;
        lock (Missing)
        {
            if (!Missing.TryGetValue(key, out value)) Missing[key] = value = local();
            return value;
        }
    }

    /// <summary>The market's value of each key: the sum of the partitions' values (−1, "not recorded", wins).</summary>
    public static void Add(Dictionary<string, long> market, IReadOnlyDictionary<string, long> partial)
    {
        foreach (var (key, value) in partial)
            market[key] = market.TryGetValue(key, out var sum) ? sum < 0 || value < 0 ? -1 : sum + value : value;
    }

    // Keys: scope (which side of the market: "a" achievements, "d" demands, "ad" both), what, and its arguments.
    const char S = '\u001f';
    internal static string DocFreq(string scope, string field, string term) => $"{scope}{S}df{S}{field}{S}{term}";
    internal static string TotalTermFreq(string scope, string field, string term) => $"{scope}{S}ttf{S}{field}{S}{term}";
    internal static string ConceptDocFreq(string scope, string fields, string text) => $"{scope}{S}cdf{S}{fields}{S}{text}";
    internal static string Listings(string scope) => $"{scope}{S}n";
    internal static string Collection(string scope, string what, string field) => $"{scope}{S}collection-{what}{S}{field}";
    internal static string KnownKeyword(string text) => $"kk{S}{text}";

    internal static string[] Parse(string key) => key.Split(S);

    /// <summary>
    /// A searcher whose term and collection statistics are the market's: BM25's idf and average field length, for
    /// every term, phrase and span query it weighs.
    /// </summary>
    internal sealed class Searcher(IndexReader reader, MarketStatistics market, string scope) : IndexSearcher(reader)
    {
        public override TermStatistics TermStatistics(Term term, TermContext context)
        {
            var local = base.TermStatistics(term, context);
            var text = term.Text;
            return new TermStatistics(term.Bytes,
                market.Read(DocFreq(scope, term.Field, text), () => local.DocFreq),
                market.Read(TotalTermFreq(scope, term.Field, text), () => local.TotalTermFreq));
        }

        public override CollectionStatistics CollectionStatistics(string field)
        {
            CollectionStatistics? local = null;
            CollectionStatistics Local() => local ??= base.CollectionStatistics(field);
            return new CollectionStatistics(field,
                market.Read(Collection(scope, "max", field), () => Local().MaxDoc),
                market.Read(Collection(scope, "docs", field), () => Local().DocCount),
                market.Read(Collection(scope, "ttf", field), () => Local().SumTotalTermFreq),
                market.Read(Collection(scope, "df", field), () => Local().SumDocFreq));
        }
    }
}
