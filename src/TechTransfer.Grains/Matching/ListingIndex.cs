using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using TechTransfer.Listings;
using static TechTransfer.Matching.ListingAnalysis;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace TechTransfer.Matching;

/// <summary>Filters of a search, all optional.</summary>
[GenerateSerializer, Immutable, Alias("tt.SearchFilter")]
public sealed record SearchFilter(
    ListingKind Kind, string? TechField = null, string? Province = null, string? RegionCode = null, int? TrlMin = null, decimal? PriceMax = null);

/// <summary>One hit: the stored public view, the raw text score and the analysed words of its headline (stored at indexing).</summary>
public sealed record IndexHit(ListingDocument Document, float Score, IReadOnlyList<(string Term, string Surface)>? HeadlineWords = null);

/// <summary>
/// Counts of matching listings by facet value. In a search, each facet counts the hits its own filter would give:
/// the other filters apply, its own does not, so a count is what clicking it shows. <see cref="Trl"/> counts
/// "TRL ≥ n" (the TRL filter is a minimum); <see cref="Kind"/> ("achievement", "demand") is counted by search only.
/// </summary>
public sealed record Facets(
    IReadOnlyDictionary<string, int> TechField, IReadOnlyDictionary<string, int> Region, IReadOnlyDictionary<string, int> Trl,
    IReadOnlyDictionary<string, int>? Kind = null)
{
    public static readonly Facets None = new(new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<string, int>());
}

/// <summary>
/// The Lucene index of published listings, owned by this type alone: one writer per kind; readers are
/// near-real-time searchers, so reads run concurrently with indexing. A shard is refreshed when it is read (and
/// by the replica now and then): every read sees every write made before it, and a shard nobody reads does not
/// turn each write into a segment of its own.
/// Derived data: held in memory and rebuilt from PostgreSQL at start, or on disk and resumed from its last commit.
/// </summary>
public sealed partial class ListingIndex : IDisposable
{
    const string IdField = "id", VersionField = "version", JsonField = "json", TrlField = "trl", PriceField = "price", HeadlineWordsField = "hw";
    const string TechFieldField = "techField", RegionField = "region", ProvinceField = "province";
    const int MaxQueryTerms = 40;

    /// <summary>Each keyword as one term: the corpus' own vocabulary of technical terms.</summary>
    const string WholeKeywordField = "kwx";

    static readonly Similarity Bm25 = new CoordinatedBm25();

    /// <summary>
    /// BM25 (k1 1.2, b 0.75) that also rewards covering more of the query: the score of a Boolean query is
    /// multiplied by √(matched clauses / all clauses). Plain BM25 turns coordination off; with it on, a partner
    /// that shares several of the need's concepts beats one that repeats a single frequent one.
    /// </summary>
    sealed class CoordinatedBm25 : BM25Similarity
    {
        public override float Coord(int overlap, int maxOverlap) => (float)Math.Sqrt((double)overlap / maxOverlap);
    }

    /// <summary>
    /// One Lucene index per kind. Matching always asks the other kind, so the hot path needs no kind filter
    /// (a pure disjunction can use Lucene's fast out-of-order scorer) and idf is the other side's vocabulary.
    /// </summary>
    sealed class Shard : IDisposable
    {
        public readonly LuceneDirectory Directory;
        public readonly IndexWriter Writer;
        public readonly SearcherManager Searchers;

        public Shard(LuceneDirectory directory, OpenMode mode = OpenMode.CREATE)
        {
            Directory = directory;
            Writer = new IndexWriter(directory, new IndexWriterConfig(ListingAnalysis.Version, Analyzer)
            {
                OpenMode = mode,
                Similarity = Bm25,
                RAMBufferSizeMB = 64,
            });
            Searchers = new SearcherManager(Writer, applyAllDeletes: true, new Bm25SearcherFactory());
        }

        public void Dispose()
        {
            Searchers.Dispose();
            Writer.Dispose();
            Directory.Dispose();
        }
    }

    /// <summary>One partition of the market: a shard per kind.</summary>
    sealed class Partition(int number, Shard achievements, Shard demands) : IDisposable
    {
        public int Number => number;
        public Shard Achievements => achievements;
        public Shard Demands => demands;
        public Shard Of(ListingKind kind) => kind == ListingKind.Achievement ? achievements : demands;

        public void Dispose()
        {
            achievements.Dispose();
            demands.Dispose();
        }
    }

    readonly Partition[] partitions; // the held ones, in the layout's order
    // Last version seen per id, live or removed: a replayed older write can never resurrect a withdrawn listing.
    // Keyed by a 128-bit hash of the id, not the id's string: 32 bytes an entry instead of about 90, the difference
    // between 0.3 and 0.9 GB of heap at 10⁷ listings (a collision is as likely as a guessed 128-bit key).
    readonly Dictionary<UInt128, (int Version, bool Live)> versions = [];

    internal static UInt128 Key(string id) => System.IO.Hashing.XxHash128.HashToUInt128(System.Runtime.InteropServices.MemoryMarshal.AsBytes(id.AsSpan()));
    readonly System.Threading.Lock gate = new();
    // Every keyword any listing has declared: the market's vocabulary of technical terms, spotted in titles by
    // matching. It only grows (a withdrawn listing's keywords stay words of the trade); a hash lookup per substring
    // instead of a term-dictionary seek per substring and shard (for the evidence of every candidate of a match).
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> knownKeywords = new(StringComparer.Ordinal);

    /// <summary>
    /// An empty index held in process memory: derived data, rebuilt from PostgreSQL at start, and the fastest per
    /// query. <see cref="Create(string, PartitionLayout?)"/> puts the index in memory-mapped files instead, off the managed heap, where a
    /// restarted host resumes it (<see cref="Open"/>); the trade-off is measured in docs/matching.md, "Memory or files".
    /// </summary>
    public ListingIndex(PartitionLayout? layout = null)
    {
        Layout = layout ?? PartitionLayout.Whole;
        partitions = [.. Layout.Held.Select(p => new Partition(p, new Shard(new RAMDirectory()), new Shard(new RAMDirectory())))];
    }

    ListingIndex(string path, OpenMode mode, PartitionLayout layout)
    {
        Path = path;
        Layout = layout;
        var opened = new List<Partition>();
        try
        {
            foreach (var p in layout.Held)
            {
                // One partition keeps the layout of the files before partitions, so a host upgraded resumes them.
                var dir = layout.Count == 1 ? path : System.IO.Path.Combine(path, $"p{p}");
                var a = new Shard(new MMapDirectory(System.IO.Path.Combine(dir, "achievements")), mode);
                try
                {
                    opened.Add(new Partition(p, a, new Shard(new MMapDirectory(System.IO.Path.Combine(dir, "demands")), mode)));
                }
                catch
                {
                    a.Dispose();
                    throw;
                }
            }
        }
        catch
        {
            foreach (var partition in opened) partition.Dispose();
            throw;
        }
        partitions = [.. opened];
    }

    /// <summary>Which partitions of the market this index holds.</summary>
    public PartitionLayout Layout { get; }

    /// <summary>An empty index in memory-mapped files under <paramref name="path"/> (whatever was there is replaced).</summary>
    public static ListingIndex Create(string path, PartitionLayout? layout = null) => new(path, OpenMode.CREATE, layout ?? PartitionLayout.Whole);

    /// <summary>
    /// The index committed under <paramref name="path"/> with the commit's data, or null when there is none that this
    /// build can use: no commit, shards committed at different moments, another index format or partition layout.
    /// Learns again what the index knows beside Lucene (each id's version, the market's keywords) from the files.
    /// </summary>
    public static (ListingIndex Index, IReadOnlyDictionary<string, string> Data)? Open(string path, PartitionLayout? layout = null)
    {
        layout ??= PartitionLayout.Whole;
        if (layout.Held.Length == 0) return null; // nothing to resume
        foreach (var p in layout.Held)
            foreach (var kind in (string[])["achievements", "demands"])
            {
                using var directory = FSDirectory.Open(System.IO.Path.Combine(layout.Count == 1 ? path : System.IO.Path.Combine(path, $"p{p}"), kind));
                if (!DirectoryReader.IndexExists(directory)) return null;
            }
        var index = new ListingIndex(path, OpenMode.APPEND, layout);
        var data = index.Shards.Select(shard => shard.Writer.CommitData).ToList();
        var first = data[0];
        if (!first.TryGetValue(FormatKey, out var format) || format != Format
            || (first.TryGetValue(LayoutKey, out var stamp) ? stamp : PartitionLayout.Whole.Stamp) != layout.Stamp
            || data.Any(d => !first.OrderBy(e => e.Key).SequenceEqual(d.OrderBy(e => e.Key))))
        {
            index.Dispose();
            return null;
        }
        try
        {
            index.Learn();
        }
        catch
        {
            index.Dispose();
            throw;
        }
        return (index, first.ToDictionary());
    }

    /// <summary>Where the index's files are; null in memory.</summary>
    public string? Path { get; }

    /// <summary>
    /// Makes everything written so far durable, both shards with the same <paramref name="data"/> (a feed position,
    /// say): a later <see cref="Open"/> returns this state or a later one. Not for indexes in memory.
    /// </summary>
    public void Commit(IReadOnlyDictionary<string, string> data)
    {
        var stamped = new Dictionary<string, string>(data) { [FormatKey] = Format, [LayoutKey] = Layout.Stamp };
        foreach (var shard in Shards)
        {
            shard.Writer.SetCommitData(stamped);
            shard.Writer.Commit();
        }
    }

    /// <summary>Counts writes, so that a replica commits only when something changed.</summary>
    public long Writes => Interlocked.Read(ref writes);

    long writes;

    const string FormatKey = "format", LayoutKey = "partitions";

    /// <summary>
    /// What an index written by this build looks like: the version of its fields, and how the analysers cut a sample
    /// (a new dictionary or analyser changes the terms, and an index built with the old ones would then miss).
    /// </summary>
    static readonly string Format = "fields-1/" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Join('|', [
            .. Terms(Title, FormatSample), "/", .. Terms(Title + Bigrams, FormatSample)]))))[..16];

    const string FormatSample = "基于深度学习的锂离子电池健康状态估计方法，适用于新能源汽车与储能电站；PM2.5 检测 5G 基站 CRISPR-Cas9";

    /// <summary>Reads back from the files what the index keeps beside Lucene: versions, the live count, the keywords.</summary>
    void Learn()
    {
        foreach (var shard in Shards)
        {
            using var reader = DirectoryReader.Open(shard.Writer, applyAllDeletes: true);
            foreach (var leaf in reader.Leaves)
            {
                var ids = leaf.AtomicReader.GetBinaryDocValues(IdField);
                var versionsOf = leaf.AtomicReader.GetNumericDocValues(VersionField);
                var alive = leaf.AtomicReader.LiveDocs;
                var id = new BytesRef();
                for (var doc = 0; doc < leaf.AtomicReader.MaxDoc; doc++)
                {
                    if (alive is not null && !alive.Get(doc)) continue;
                    ids.Get(doc, id);
                    versions[Key(id.Utf8ToString())] = ((int)versionsOf.Get(doc), true);
                    live++;
                }
                if (leaf.AtomicReader.GetTerms(WholeKeywordField)?.GetEnumerator() is { } keywords)
                    while (keywords.MoveNext()) knownKeywords.TryAdd(keywords.Term.Utf8ToString(), 0);
            }
        }
    }

    IEnumerable<Shard> Shards => partitions.SelectMany(p => (Shard[])[p.Achievements, p.Demands]);

    /// <summary>The held partition of a listing, or null when another host holds it.</summary>
    Partition? Holding(string id)
    {
        if (partitions.Length == 1 && Layout.Count == 1) return partitions[0];
        var number = Layout.PartitionOf(id);
        foreach (var partition in partitions) if (partition.Number == number) return partition;
        return null;
    }

    int live;

    /// <summary>How many listings are searchable.</summary>
    public int Count { get { lock (gate) return live; } }

    /// <summary>Adds or replaces a published listing; older versions than the one indexed are ignored.</summary>
    public void Upsert(ListingDocument listing)
    {
        if (Holding(listing.Id) is not { } partition) return;
        lock (gate)
        {
            var key = Key(listing.Id);
            if (versions.TryGetValue(key, out var seen) && seen.Version >= listing.Version) return;
            versions[key] = (listing.Version, true);
            if (!seen.Live) live++;
        }
        foreach (var keyword in listing.Keywords) if (Normalize(keyword) is { Length: > 0 } k) knownKeywords.TryAdd(k, 0);
        // Analysis happens here, outside the lock: IndexWriter is thread-safe, so bulk loads can use every core.
        partition.Of(listing.Kind).Writer.UpdateDocument(new Term(IdField, listing.Id), ToLucene(listing));
        Interlocked.Increment(ref writes);
    }

    /// <summary>Whether a change at <paramref name="version"/> would be news to the index (replays are not).</summary>
    public bool IsNewer(string id, int version)
    {
        if (Holding(id) is null) return false; // another host's partition: not news here
        lock (gate) return !versions.TryGetValue(Key(id), out var seen) || seen.Version < version;
    }

    /// <summary>Takes a listing off the index (withdrawn, closed, transferred, fulfilled).</summary>
    public void Remove(ListingKind kind, string id, int version)
    {
        if (Holding(id) is not { } partition) return;
        lock (gate)
        {
            var key = Key(id);
            if (versions.TryGetValue(key, out var seen) && seen.Version >= version) return;
            versions[key] = (version, false);
            if (!seen.Live) return;
            live--;
            partition.Of(kind).Writer.DeleteDocuments(new Term(IdField, id));
            Interlocked.Increment(ref writes);
        }
    }

    /// <summary>Indexes many listings on all cores (a replica's first load, a benchmark).</summary>
    public void UpsertMany(IEnumerable<ListingDocument> listings) =>
        Parallel.ForEach(listings, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, Upsert);

    /// <summary>
    /// Makes everything written so far searchable (cheap when nothing changed). Reads do this for the shard they
    /// read; refreshing both now and then keeps the writes to a shard nobody reads from piling up in the buffer.
    /// </summary>
    public void Refresh()
    {
        foreach (var shard in Shards) shard.Searchers.MaybeRefreshBlocking();
    }

    // Refresh on read, not on write: matching reads only the other kind, so publishing achievements at 50/s made
    // one one-document segment per publish in the achievement shard, and merging them away took a fifth of the
    // host's CPU under bench-push. Now writes accumulate until somebody reads that shard.
    static Shard Fresh(Shard shard)
    {
        shard.Searchers.MaybeRefreshBlocking();
        return shard;
    }

    /// <summary>Lets background segment merges finish (after a bulk load, before measuring).</summary>
    public void WaitForMerges()
    {
        foreach (var shard in Shards) shard.Writer.WaitForMerges();
    }

    /// <summary>Bytes of the index files on disk (or in memory).</summary>
    public long SizeInBytes() => Shards.Sum(shard => shard.Directory.ListAll().Sum(shard.Directory.FileLength));

    /// <summary>
    /// Query-by-document: the listings of the other kind whose text best fits <paramref name="source"/>,
    /// by its most distinctive terms (tf·idf against the other side), restricted by <paramref name="filter"/>;
    /// each with the text evidence of the pair, weighed by the specificity of words over both sides of the market.
    /// </summary>
    public IReadOnlyList<EvidencedHit> MoreLike(ListingDocument source, SearchFilter filter, int take) =>
        Read(filter.Kind, null, null, searcher => Read(source.Kind, null, null, own =>
        {
            var terms = new TermLookup(searcher.IndexReader);
            var hits = MoreLikeHits(searcher, terms, source, filter, take);
            return Evidence(source, hits, new MarketVocabulary(new LocalMarket(terms, new TermLookup(own.IndexReader), knownKeywords)));
        }, fresh: false), fresh: true);

    /// <summary>
    /// A part of a scattered query-by-document: the best hits among this host's partitions <paramref name="scope"/>,
    /// scored with the market's statistics; the one asking merges them and weighs the evidence (<see cref="Evidence"/>).
    /// </summary>
    public IReadOnlyList<IndexHit> MoreLikeHits(ListingDocument source, SearchFilter filter, int take, IReadOnlyCollection<int> scope, MarketStatistics market) =>
        Read(filter.Kind, scope, market,
            searcher => MoreLikeHits(searcher, new TermLookup(searcher.IndexReader, market, ScopeOf(filter.Kind)), source, filter, take, market), fresh: true);

    static List<IndexHit> MoreLikeHits(IndexSearcher searcher, TermLookup terms, ListingDocument source, SearchFilter filter, int take,
        MarketStatistics? market = null)
    {
        var weighted = Weigh(terms, source);
        var spotted = KnownKeywords(terms, source.Title + "\n" + string.Join('\n', source.Keywords), source.Keywords);
        var query = TextQuery(terms, weighted, spotted);
        if (query is null) return [];
        if (LearningStatistics(searcher, query, market)) return [];
        return Top(searcher, query, filter, take);
    }

    /// <summary>
    /// Whether this read was given too few of the market's statistics to choose its terms: then it only weighs the query
    /// (which reads every term and field statistic the search would) and stops; it is asked again once they are known.
    /// </summary>
    static bool LearningStatistics(IndexSearcher searcher, Query query, MarketStatistics? market)
    {
        if (market is not { Missing.Count: > 0 }) return false;
        searcher.CreateNormalizedWeight(query);
        return true;
    }

    /// <summary>The text evidence of <paramref name="source"/> and each hit, with word specificity from the market's statistics.</summary>
    public static IReadOnlyList<EvidencedHit> Evidence(ListingDocument source, IReadOnlyList<IndexHit> hits, MarketStatistics market) =>
        Evidence(source, hits, new MarketVocabulary(new SharedMarket(market)));

    static IReadOnlyList<EvidencedHit> Evidence(ListingDocument source, IReadOnlyList<IndexHit> hits, MarketVocabulary market)
    {
        var sourceConcepts = market.ConceptsOf(source);
        return [.. hits.Select(hit =>
        {
            var concepts = market.ConceptsOf(hit.Document, hit.HeadlineWords);
            var evidence = source.Kind == ListingKind.Demand
                ? TextEvidence.Compare(source, sourceConcepts, hit.Document, concepts, market.Common)
                : TextEvidence.Compare(hit.Document, concepts, source, sourceConcepts, market.Common);
            return new EvidencedHit(hit, evidence);
        })];
    }

    /// <summary>
    /// The text score (<see cref="MatchEngine.TextScore"/>, 0–1) of <paramref name="subject"/> against each of
    /// <paramref name="others"/>, listings of either kind that need not be in the index (a sold achievement has left the
    /// market): the same evidence and the same model as matching, with word specificity from the whole market. Between
    /// two achievements the other takes the demand's place, so the score asks how much of the subject's headline the
    /// other's text covers. Price guidance (Valuation) weighs comparables by it.
    /// </summary>
    public IReadOnlyList<double> TextScores(ListingDocument subject, IReadOnlyList<ListingDocument> others) =>
        Read(ListingKind.Achievement, null, null, achievements => Read(ListingKind.Demand, null, null, demands =>
            TextScores(subject, others, new MarketVocabulary(new LocalMarket(new TermLookup(achievements.IndexReader), new TermLookup(demands.IndexReader), knownKeywords))),
            fresh: false), fresh: false);

    /// <summary><see cref="TextScores(ListingDocument, IReadOnlyList{ListingDocument})"/> with the market's statistics (partitions on other hosts).</summary>
    public static IReadOnlyList<double> TextScores(ListingDocument subject, IReadOnlyList<ListingDocument> others, MarketStatistics market) =>
        TextScores(subject, others, new MarketVocabulary(new SharedMarket(market)));

    static IReadOnlyList<double> TextScores(ListingDocument subject, IReadOnlyList<ListingDocument> others, MarketVocabulary market)
    {
        var subjectConcepts = market.ConceptsOf(subject);
        return [.. others.Select(other =>
        {
            var concepts = market.ConceptsOf(other);
            var evidence = subject.Kind == ListingKind.Demand && other.Kind == ListingKind.Achievement
                ? TextEvidence.Compare(subject, subjectConcepts, other, concepts, market.Common)
                : TextEvidence.Compare(other, concepts, subject, subjectConcepts, market.Common);
            return MatchEngine.TextScore(evidence);
        })];
    }

    /// <summary>What the specificity of words is computed from: both sides' listing and concept counts, and the known keywords.</summary>
    interface IMarketCounts
    {
        long Listings();
        long ConceptDocFreq(string text, string[] fields);
        bool IsKnownKeyword(string text);
    }

    /// <summary>The counts of the partitions this host holds (the whole market when it holds them all).</summary>
    sealed class LocalMarket(TermLookup one, TermLookup other, System.Collections.Concurrent.ConcurrentDictionary<string, byte> knownKeywords) : IMarketCounts
    {
        public long Listings() => one.Reader.NumDocs + other.Reader.NumDocs;
        public long ConceptDocFreq(string text, string[] fields) => one.CachedDocFreq(text, fields) + other.CachedDocFreq(text, fields);
        public bool IsKnownKeyword(string text) => knownKeywords.ContainsKey(text);
    }

    /// <summary>The market's counts, summed over one holder of each partition (scope "ad": both sides).</summary>
    sealed class SharedMarket(MarketStatistics market) : IMarketCounts
    {
        public long Listings() => market.Read(MarketStatistics.Listings(BothSides), () => 0);
        public long ConceptDocFreq(string text, string[] fields) =>
            market.Read(MarketStatistics.ConceptDocFreq(BothSides, string.Join(',', fields), text), () => 0);
        public bool IsKnownKeyword(string text) => market.Read(MarketStatistics.KnownKeyword(text), () => 0) > 0;
    }

    const string BothSides = "ad";

    static string ScopeOf(ListingKind kind) => kind == ListingKind.Achievement ? "a" : "d";

    /// <summary>
    /// How specific a concept is in the whole market (both kinds): BM25 idf of its document frequency, where a
    /// listing holds the concept if it is one of its title or keyword words, one of its whole keywords, or (two
    /// Chinese characters) a bigram of its text; divided by the idf of a word one listing uses, so that 0–1 means the
    /// same in a small market and a national one. Both sides count, so the same pair weighs the same whichever side
    /// asks, and a market with few demands still knows that 研究 is common.
    /// </summary>
    sealed class MarketVocabulary(IMarketCounts counts)
    {
        readonly Dictionary<string, double> weights = [];
        // A young market has too few listings to tell a specific word from a common one: with 4 listings a word two
        // of them share would weigh 0.58, against 0.94 at 3,700, and a new network's first pairs went unmatched.
        // Below SmallestMarket, specificity is judged as in a market of that size in which only the listings present
        // use the word, so a pair's score does not depend on how many others have joined yet. The price: in a market
        // of a few dozen, a topic many of them share looks rarer than it is (docs/matching.md, with the demo measured
        // with and without the floor).
        readonly long total = Math.Max(counts.Listings(), SmallestMarket);

        const int SmallestMarket = 1000;

        /// <summary>The specificity of a word that one listing in a hundred uses.</summary>
        public double Common => Idf(total / 100.0) / Idf(1);

        double Idf(double df) => Math.Log(1 + (total - df + 0.5) / (df + 0.5));

        public IReadOnlyList<Concept> ConceptsOf(ListingDocument listing, IReadOnlyList<(string Term, string Surface)>? headlineWords = null) =>
            TextEvidence.ConceptsOf(listing, Weight, counts.IsKnownKeyword, headlineWords);

        double Weight(string text)
        {
            if (weights.TryGetValue(text, out var weight)) return weight;
            var df = Math.Max(counts.ConceptDocFreq(text, text.Length == 2 && !text.Any(char.IsAsciiLetterOrDigit) ? TwoCharacterConceptFields : ConceptFields), 1);
            return weights[text] = Math.Min(1, Idf(df) / Idf(1));
        }

        // A concept's fields: a word of the title or keywords, a whole keyword, and for two Chinese characters a bigram of the text.
        static readonly string[] ConceptFields = [Title, Keywords, WholeKeywordField];
        static readonly string[] TwoCharacterConceptFields = [Title, Keywords, WholeKeywordField, Body + Bigrams];
    }

    /// <summary>
    /// One searcher for the whole read over one kind's shards of the partitions <paramref name="scope"/> (all held when
    /// null): term statistics and the search see the same segments. Several partitions are read as one index; with
    /// <paramref name="market"/>, scored with the market's statistics. <paramref name="fresh"/>: refresh first (a
    /// shard is refreshed when it is searched, see <see cref="Fresh"/>).
    /// </summary>
    T Read<T>(ListingKind kind, IReadOnlyCollection<int>? scope, MarketStatistics? market, Func<IndexSearcher, T> read, bool fresh) =>
        ReadShards([.. PartitionsIn(scope).Select(p => fresh ? Fresh(p.Of(kind)) : p.Of(kind))], ScopeOf(kind), market, (searcher, _) => read(searcher));

    IEnumerable<Partition> PartitionsIn(IReadOnlyCollection<int>? scope) =>
        scope is null ? partitions : partitions.Where(p => scope.Contains(p.Number));

    /// <summary>The shards' current searchers read as one; the second argument is each shard's reader, in order.</summary>
    static T ReadShards<T>(Shard[] shards, string scope, MarketStatistics? market, Func<IndexSearcher, IndexReader[], T> read)
    {
        var acquired = new IndexSearcher[shards.Length];
        var count = 0;
        try
        {
            for (; count < shards.Length; count++) acquired[count] = shards[count].Searchers.Acquire();
            IndexReader[] readers = [.. acquired.Select(s => s.IndexReader)];
            if (shards.Length == 1 && market is null) return read(acquired[0], readers);
            // Not closing the shards' readers: the MultiReader holds a reference to each and gives it back when disposed.
            using var all = new MultiReader(readers, closeSubReaders: false);
            var searcher = market is null ? new IndexSearcher(all) : new MarketStatistics.Searcher(all, market, scope);
            searcher.Similarity = Bm25;
            return read(searcher, readers);
        }
        finally
        {
            for (var i = 0; i < count; i++) shards[i].Searchers.Release(acquired[i]);
        }
    }

    /// <summary>
    /// This host's own value of each statistic in <paramref name="keys"/> over its partitions <paramref name="scope"/>
    /// (see <see cref="MarketStatistics"/>): the one asking sums them over one holder of each partition.
    /// </summary>
    public Dictionary<string, long> Statistics(IReadOnlyCollection<int> scope, IReadOnlyCollection<string> keys)
    {
        var held = PartitionsIn(scope).ToList();
        Shard[] a = [.. held.Select(p => Fresh(p.Achievements))], d = [.. held.Select(p => Fresh(p.Demands))];
        return ReadShards([.. a, .. d], BothSides, null, (_, readers) =>
        {
            using var achievementsOnly = new MultiReader(readers[..a.Length], closeSubReaders: false);
            using var demandsOnly = new MultiReader(readers[a.Length..], closeSubReaders: false);
            using var both = new MultiReader(readers, closeSubReaders: false);
            var sides = new Dictionary<string, (IndexReader Reader, TermLookup Terms)>
            {
                ["a"] = (achievementsOnly, new TermLookup(achievementsOnly)),
                ["d"] = (demandsOnly, new TermLookup(demandsOnly)),
                [BothSides] = (both, new TermLookup(both)),
            };
            var collections = new Dictionary<(string, string), CollectionStatistics>();
            CollectionStatistics Collection(string side, string field) =>
                collections.TryGetValue((side, field), out var known) ? known
                : collections[(side, field)] = new IndexSearcher(sides[side].Reader).CollectionStatistics(field);
            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                var parts = MarketStatistics.Parse(key);
                if (parts[0] == "kk")
                {
                    values[key] = knownKeywords.ContainsKey(parts[1]) ? 1 : 0;
                    continue;
                }
                if (!sides.TryGetValue(parts[0], out var side)) throw new ArgumentException($"unknown statistic {key}");
                values[key] = parts[1] switch
                {
                    "n" => side.Reader.NumDocs,
                    "df" => side.Terms.DocFreq(parts[2], parts[3]),
                    "ttf" => side.Terms.TotalTermFreq(parts[2], parts[3]),
                    "cdf" => side.Terms.CachedDocFreq(parts[3], parts[2].Split(',')),
                    "collection-max" => Collection(parts[0], parts[2]).MaxDoc,
                    "collection-docs" => Collection(parts[0], parts[2]).DocCount,
                    "collection-ttf" => Collection(parts[0], parts[2]).SumTotalTermFreq,
                    "collection-df" => Collection(parts[0], parts[2]).SumDocFreq,
                    _ => throw new ArgumentException($"unknown statistic {key}"),
                };
            }
            return values;
        });
    }

    const float WholeKeywordBoost = 8f;

    /// <summary>
    /// Keyword spotting: the known keywords (indexed as whole terms) that occur in <paramref name="text"/> as
    /// substrings, plus the source's own keywords. Segmentation-independent, so "血府逐瘀汤" is found whole.
    /// </summary>
    static HashSet<string> KnownKeywords(TermLookup terms, string text, IEnumerable<string> own) =>
    [
        .. own.Select(Normalize).Where(k => k.Length > 0),
        .. TextEvidence.KnownKeywordsIn(text, candidate => terms.DocFreq(WholeKeywordField, candidate) > 0).Select(k => k.Text),
    ];

    static string Normalize(string text) => TextEvidence.Normalize(text);

    /// <summary>For a whole listing: its most distinctive terms per field by tf·idf in the other side's documents.</summary>
    static Dictionary<string, Dictionary<string, float>> Weigh(TermLookup terms, ListingDocument source)
    {
        var text = string.Join('\n', source.Title, source.Title, string.Join(' ', source.Keywords), source.Body);
        // Analysed once per analyzer, not once per field.
        var (words, bigrams) = (Tally(Terms(Title, text)), Tally(Terms(Title + Bigrams, text)));
        var total = Math.Max(terms.NumDocs, 1);
        var result = new Dictionary<string, Dictionary<string, float>>();
        foreach (var (field, _, _) in TextFields)
        {
            var scored = (IsBigramField(field) ? bigrams : words)
                .Select(t => (t.Key, Weight: t.Value * (float)Math.Log(1 + total / (1.0 + terms.DocFreq(field, t.Key)))))
                .OrderByDescending(t => t.Weight)
                .Take(MaxQueryTerms)
                .ToList();
            var top = scored.Count > 0 ? scored[0].Weight : 1f;
            result[field] = scored.ToDictionary(t => t.Key, t => t.Weight / top);
        }
        return result;
    }

    /// <summary>SHOULD clauses: spotted whole keywords, then the weighted terms of every text field (boosted per field).</summary>
    static Query? TextQuery(TermLookup terms, Dictionary<string, Dictionary<string, float>> weighted,
        IReadOnlyCollection<string> keywords)
    {
        var query = new BooleanQuery();
        foreach (var keyword in keywords)
        {
            var clause = terms.Query(WholeKeywordField, keyword);
            clause.Boost = WholeKeywordBoost;
            query.Add(clause, Occur.SHOULD);
        }
        foreach (var (field, _, boost) in TextFields)
            foreach (var (term, weight) in weighted[field])
            {
                var clause = terms.Query(field, term);
                clause.Boost = boost * weight;
                query.Add(clause, Occur.SHOULD);
            }
        return query.Clauses.Count == 0 ? null : query;
    }

    /// <summary>The best <paramref name="take"/> hits of a query-by-document, with their stored view and headline words.</summary>
    static List<IndexHit> Top(IndexSearcher searcher, Query text, SearchFilter filter, int take)
    {
        var filters = FilterQuery(filter);
        var query = filters.Clauses.Count == 0 ? text : new FilteredQuery(text, new QueryWrapperFilter(filters));
        // Out of order: lets an unfiltered disjunction use BooleanScorer, several times faster than the heap scorer.
        var top = TopScoreDocCollector.Create(Math.Max(take, 1), docsScoredInOrder: false);
        searcher.Search(query, top);
        return [.. top.GetTopDocs(0, take).ScoreDocs.Select(d =>
        {
            var stored = searcher.Doc(d.Doc);
            return new IndexHit(FromLucene(filter.Kind, stored), d.Score, HeadlineWordsOf(stored));
        })];
    }

    /// <summary>
    /// Term statistics of one reader, with one terms enumerator per segment and field reused for every term.
    /// Lucene's own lookups (reader.DocFreq, a TermQuery's TermContext.Build) open a new enumerator in every
    /// segment for every term: with a listing's hundred-odd query terms that was four fifths of the host's
    /// allocations under bench-push (dotnet-trace, docs/benchmarks.md).
    /// </summary>
    sealed class TermLookup(IndexReader reader, MarketStatistics? market = null, string scope = "")
    {
        readonly Dictionary<string, TermsEnum?[]> enumerators = [];

        public IndexReader Reader => reader;

        /// <summary>Listings in the reader, or in the market when reading with its statistics.</summary>
        public int NumDocs => market is null ? reader.NumDocs : (int)market.Read(MarketStatistics.Listings(scope), () => reader.NumDocs);

        public int DocFreq(string field, string term) =>
            market is null ? LocalDocFreq(field, term) : (int)market.Read(MarketStatistics.DocFreq(scope, field, term), () => LocalDocFreq(field, term));

        /// <summary>Occurrences of the term in the reader (−1 when the field keeps no frequencies), as Lucene's own statistics count them.</summary>
        public long TotalTermFreq(string field, string term)
        {
            var bytes = new BytesRef(term);
            var count = 0L;
            foreach (var segment in Segments(field))
            {
                if (segment?.SeekExact(bytes) != true) continue;
                var frequency = segment.TotalTermFreq;
                if (frequency < 0) return -1;
                count += frequency;
            }
            return count;
        }

        int LocalDocFreq(string field, string term)
        {
            var bytes = new BytesRef(term);
            var count = 0;
            foreach (var segment in Segments(field)) if (segment?.SeekExact(bytes) == true) count += segment.DocFreq;
            return count;
        }

        /// <summary>
        /// How many listings hold <paramref name="text"/> in any of <paramref name="fields"/>: per segment the most of
        /// its fields, summed over segments; remembered per segment, since a segment never changes its terms (and
        /// deletions do not change its document frequencies). The evidence of 20 candidates asks for a few hundred
        /// concepts; seeking each in every segment and field was two thirds of a match's time at 100k listings.
        /// </summary>
        public int CachedDocFreq(string text, string[] fields) => market is null
            ? LocalCachedDocFreq(text, fields)
            : (int)market.Read(MarketStatistics.ConceptDocFreq(scope, string.Join(',', fields), text), () => LocalCachedDocFreq(text, fields));

        int LocalCachedDocFreq(string text, string[] fields)
        {
            var count = 0;
            BytesRef? bytes = null;
            for (var i = 0; i < reader.Leaves.Count; i++)
            {
                var known = SegmentDocFreqs.GetValue(reader.Leaves[i].AtomicReader.CoreCacheKey, _ => new(StringComparer.Ordinal));
                if (!known.TryGetValue(text, out var df))
                {
                    bytes ??= new BytesRef(text);
                    foreach (var field in fields)
                        if (Segments(field)[i] is { } segment && segment.SeekExact(bytes)) df = Math.Max(df, segment.DocFreq);
                    if (known.Count < MaxCachedTermsPerSegment) known.TryAdd(text, df);
                }
                count += df;
            }
            return count;
        }

        const int MaxCachedTermsPerSegment = 200_000;

        // Dies with its segment (merged away, index replaced): the table holds its keys weakly.
        static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, System.Collections.Concurrent.ConcurrentDictionary<string, int>>
            SegmentDocFreqs = new();

        /// <summary>A term query carrying its statistics: searched with this reader, Lucene does not look the term up again.</summary>
        public TermQuery Query(string field, string term)
        {
            var bytes = new BytesRef(term);
            var context = new TermContext(reader.Context);
            var segments = Segments(field);
            for (var i = 0; i < segments.Length; i++)
                if (segments[i] is { } segment && segment.SeekExact(bytes))
                    context.Register(segment.GetTermState(), reader.Leaves[i].Ord, segment.DocFreq, segment.TotalTermFreq);
            return new TermQuery(new Term(field, term), context);
        }

        TermsEnum?[] Segments(string field)
        {
            if (!enumerators.TryGetValue(field, out var segments))
                enumerators[field] = segments = [.. reader.Leaves.Select(leaf => leaf.AtomicReader.GetTerms(field)?.GetEnumerator())];
            return segments;
        }
    }

    static BooleanQuery FilterQuery(SearchFilter filter)
    {
        var q = new BooleanQuery();
        if (filter.TechField is { } field) q.Add(new TermQuery(new Term(TechFieldField, field)), Occur.MUST);
        if (filter.Province is { } province) q.Add(new TermQuery(new Term(ProvinceField, province)), Occur.MUST);
        if (filter.RegionCode is { } region) q.Add(new TermQuery(new Term(RegionField, region)), Occur.MUST);
        if (filter.TrlMin is { } trl) q.Add(NumericRangeQuery.NewInt32Range(TrlField, trl, null, true, true), Occur.MUST);
        if (filter.PriceMax is { } price) q.Add(NumericRangeQuery.NewDoubleRange(PriceField, null, (double)price, true, true), Occur.MUST);
        return q;
    }

    static Document ToLucene(ListingDocument listing)
    {
        var doc = new Document
        {
            new StringField(IdField, listing.Id, Field.Store.YES),
            // Id and version as doc values too: a host reopening its files reads them back in a second (Learn).
            new BinaryDocValuesField(IdField, new BytesRef(listing.Id)),
            new NumericDocValuesField(VersionField, listing.Version),
            new StoredField(JsonField, listing.Json),
            new StringField(TechFieldField, listing.TechField, Field.Store.NO),
            new SortedDocValuesField(TechFieldField, new BytesRef(listing.TechField)),
            new StringField(ProvinceField, listing.Province, Field.Store.NO),
            new SortedDocValuesField(RegionField, new BytesRef(listing.RegionCode ?? "")),
            new Int32Field(TrlField, listing.Trl, Field.Store.NO),
            new NumericDocValuesField(TrlField, listing.Trl),
            // Sort keys of search: newest first, cheapest first (listings without a price last).
            new NumericDocValuesField(PublishedField, listing.PublishedAt?.UtcTicks ?? 0),
            new DoubleDocValuesField(PriceSortField, listing.Price is { } sortPrice ? (double)sortPrice : double.MaxValue),
        };
        if (listing.RegionCode is { } region) doc.Add(new StringField(RegionField, region, Field.Store.NO));
        if (listing.Price is { } price) doc.Add(new DoubleField(PriceField, (double)price, Field.Store.NO));
        foreach (var keyword in listing.Keywords) doc.Add(new StringField(WholeKeywordField, Normalize(keyword), Field.Store.NO));
        var texts = new Dictionary<string, string> { [Title] = listing.Title, [Body] = listing.Body, [Keywords] = string.Join(' ', listing.Keywords) };
        // The title's and keywords' words are analysed once: indexed, and stored as the headline's words for the evidence
        // of every match the listing is a candidate of (SmartCn is the slow part of indexing).
        var headline = new List<Token>();
        foreach (var (field, source, _) in TextFields)
        {
            if (IsBigramField(field))
            {
                doc.Add(new TextField(field, texts[source], Field.Store.NO));
                continue;
            }
            var words = Analyse(field, texts[source]);
            doc.Add(new TextField(field, new AnalysedStream(words)));
            headline.AddRange(words);
        }
        doc.Add(new StoredField(HeadlineWordsField, string.Join('\n', headline.Select(w => w.Term == w.Surface ? w.Term : w.Term + "\t" + w.Surface))));
        return doc;
    }

    static List<(string Term, string Surface)>? HeadlineWordsOf(Document doc) =>
        doc.Get(HeadlineWordsField) is not { } stored ? null
        : [.. stored.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t') is [var term, var surface] ? (term, surface) : (line, line))];

    static ListingDocument FromLucene(ListingKind kind, Document doc)
    {
        using var json = System.Text.Json.JsonDocument.Parse(doc.Get(JsonField));
        return ListingDocument.FromView(kind, json.RootElement);
    }

    static Dictionary<string, int> Tally(IEnumerable<string> terms)
    {
        var counts = new Dictionary<string, int>();
        foreach (var term in terms) counts[term] = counts.GetValueOrDefault(term) + 1;
        return counts;
    }

    public void Dispose()
    {
        foreach (var shard in Shards) shard.Dispose();
    }

    sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Bm25 };
    }
}

/// <summary>A candidate of query-by-document and the text evidence of the pair.</summary>
public sealed record EvidencedHit(IndexHit Hit, PairEvidence Evidence);
