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
public sealed record SearchFilter(
    ListingKind Kind, string? TechField = null, string? Province = null, string? RegionCode = null, int? TrlMin = null, decimal? PriceMax = null);

/// <summary>One hit: the stored public view and the raw text score.</summary>
public sealed record IndexHit(ListingDocument Document, float Score);

/// <summary>Counts of matching listings by facet value.</summary>
public sealed record Facets(IReadOnlyDictionary<string, int> TechField, IReadOnlyDictionary<string, int> Region, IReadOnlyDictionary<string, int> Trl)
{
    public static readonly Facets None = new(new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<string, int>());
}

/// <summary>
/// The Lucene index of published listings (both kinds), owned by this type alone. One writer; readers are
/// near-real-time searchers refreshed after writes, so reads run concurrently with indexing.
/// Commits are batched (never per document): the index is derived data, rebuilt from PostgreSQL at start.
/// </summary>
public sealed class ListingIndex : IDisposable
{
    const string IdField = "id", KindField = "kind", JsonField = "json", TrlField = "trl", PriceField = "price";
    const string TechFieldField = "techField", RegionField = "region", ProvinceField = "province";
    const int MaxQueryTerms = 40;

    /// <summary>Each keyword as one term: the corpus' own vocabulary of technical terms.</summary>
    const string WholeKeywordField = "kwx";
    const int MaxKeywordLength = 12;

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

    readonly LuceneDirectory directory;
    readonly IndexWriter writer;
    readonly SearcherManager searchers;
    // Last version seen per id, live or removed: a replayed older write can never resurrect a withdrawn listing.
    readonly Dictionary<string, (int Version, bool Live)> versions = [];
    readonly System.Threading.Lock gate = new();

    readonly string? ownedFolder;

    /// <summary>An index in a fresh folder of its own (memory-mapped), deleted again on dispose.</summary>
    public static ListingIndex InTempFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), "techtransfer-index");
        var folder = Path.Combine(root, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        // A host killed with -9 leaves its index behind; the next one to start clears what no live process owns.
        foreach (var stale in System.IO.Directory.GetDirectories(root))
            if (int.TryParse(Path.GetFileName(stale).Split('-')[0], out var pid) && !IsAlive(pid))
                try { System.IO.Directory.Delete(stale, recursive: true); } catch (IOException) { }
        return new ListingIndex(new MMapDirectory(new DirectoryInfo(folder)), folder);
    }

    static bool IsAlive(int pid)
    {
        try { return !System.Diagnostics.Process.GetProcessById(pid).HasExited; }
        catch (ArgumentException) { return false; }
    }

    public ListingIndex(LuceneDirectory? directory = null, string? ownedFolder = null)
    {
        this.ownedFolder = ownedFolder;
        this.directory = directory ?? new RAMDirectory();
        writer = new IndexWriter(this.directory, new IndexWriterConfig(ListingAnalysis.Version, Analyzer)
        {
            OpenMode = OpenMode.CREATE,
            Similarity = Bm25,
            RAMBufferSizeMB = 64,
        });
        searchers = new SearcherManager(writer, applyAllDeletes: true, new Bm25SearcherFactory());
    }

    public int Count { get { lock (gate) return versions.Values.Count(v => v.Live); } }

    /// <summary>Adds or replaces a published listing; older versions than the one indexed are ignored.</summary>
    public void Upsert(ListingDocument listing)
    {
        lock (gate)
        {
            if (versions.TryGetValue(listing.Id, out var seen) && seen.Version >= listing.Version) return;
            versions[listing.Id] = (listing.Version, true);
        }
        // Analysis happens here, outside the lock: IndexWriter is thread-safe, so bulk loads can use every core.
        writer.UpdateDocument(new Term(IdField, listing.Id), ToLucene(listing));
    }

    /// <summary>Whether a change at <paramref name="version"/> would be news to the index (replays are not).</summary>
    public bool IsNewer(string id, int version)
    {
        lock (gate) return !versions.TryGetValue(id, out var seen) || seen.Version < version;
    }

    /// <summary>Takes a listing off the index (withdrawn, closed, transferred, fulfilled).</summary>
    public void Remove(string id, int version)
    {
        lock (gate)
        {
            if (versions.TryGetValue(id, out var seen) && seen.Version >= version) return;
            versions[id] = (version, false);
            if (seen.Live) writer.DeleteDocuments(new Term(IdField, id));
        }
    }

    /// <summary>Indexes many listings on all cores (a replica's first load, a benchmark).</summary>
    public void UpsertMany(IEnumerable<ListingDocument> listings) =>
        Parallel.ForEach(listings, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, Upsert);

    /// <summary>Makes everything written so far visible to searches (cheap when nothing changed).</summary>
    public void Refresh() => searchers.MaybeRefreshBlocking();

    public void Commit() => writer.Commit();

    /// <summary>Bytes of the index files on disk (or in memory).</summary>
    public long SizeInBytes() => directory.ListAll().Sum(file => directory.FileLength(file));

    /// <summary>Free text search with filters; ranks by text relevance and returns facet counts over all hits.</summary>
    public (IReadOnlyList<IndexHit> Hits, int Total, Facets Facets) Search(string text, SearchFilter filter, int skip, int take)
    {
        // No text browses everything that passes the filters; text without a single searchable term
        // (punctuation, Lucene syntax such as "*:*") finds nothing rather than everything.
        var query = string.IsNullOrWhiteSpace(text) ? new MatchAllDocsQuery() : TextQuery(QueryTermsOf(text), out _, KnownKeywords(text, []));
        if (query is null) return ([], 0, Facets.None);
        return Run(query, filter, skip, take, withFacets: true);
    }

    /// <summary>
    /// Query-by-document: the listings of the other kind whose text best fits <paramref name="source"/>,
    /// by its most distinctive terms (tf·idf against the other side), restricted by <paramref name="filter"/>.
    /// </summary>
    public (IReadOnlyList<IndexHit> Hits, QueryShape Shape) MoreLike(ListingDocument source, SearchFilter filter, int take)
    {
        var weighted = Weigh(source);
        var spotted = KnownKeywords(source.Title + "\n" + string.Join('\n', source.Keywords), source.Keywords);
        var query = TextQuery(weighted, out var shape, spotted);
        if (query is null) return ([], shape);
        return (Run(query, filter, 0, take, withFacets: false).Hits, shape);
    }

    const float WholeKeywordBoost = 8f;

    /// <summary>
    /// Keyword spotting: the known keywords (indexed as whole terms) that occur in <paramref name="text"/> as
    /// substrings, plus the source's own keywords. Segmentation-independent, so "血府逐瘀汤" is found whole.
    /// </summary>
    HashSet<string> KnownKeywords(string text, IEnumerable<string> own)
    {
        var found = new HashSet<string>(own.Select(Normalize).Where(k => k.Length > 0));
        var normalized = Normalize(text);
        var searcher = searchers.Acquire();
        try
        {
            var terms = MultiFields.GetTerms(searcher.IndexReader, WholeKeywordField);
            if (terms is null) return found;
            var lookup = terms.GetEnumerator();
            for (var start = 0; start < normalized.Length; start++)
            {
                if (!char.IsLetterOrDigit(normalized[start])) continue;
                for (var length = 2; length <= MaxKeywordLength && start + length <= normalized.Length; length++)
                {
                    if (!char.IsLetterOrDigit(normalized[start + length - 1])) break;
                    var candidate = normalized.Substring(start, length);
                    if (lookup.SeekExact(new BytesRef(candidate))) found.Add(candidate);
                }
            }
            return found;
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    static string Normalize(string text) => text.Trim().ToLowerInvariant();

    /// <summary>The query terms for free text: every analysed word and bigram of it, each of weight 1.</summary>
    static Dictionary<string, Dictionary<string, float>> QueryTermsOf(string text)
    {
        var terms = new Dictionary<string, Dictionary<string, float>>();
        foreach (var (field, _) in TextFields)
            foreach (var name in new[] { field, field + Bigrams })
                terms[name] = Terms(name, text).Distinct().ToDictionary(t => t, _ => 1f);
        return terms;
    }

    /// <summary>For a whole listing: its most distinctive terms by tf·idf in the other side's documents.</summary>
    Dictionary<string, Dictionary<string, float>> Weigh(ListingDocument source)
    {
        var text = string.Join('\n', source.Title, source.Title, string.Join(' ', source.Keywords), source.Body);
        var searcher = searchers.Acquire();
        try
        {
            var reader = searcher.IndexReader;
            var total = Math.Max(reader.NumDocs, 1);
            var result = new Dictionary<string, Dictionary<string, float>>();
            foreach (var (field, _) in TextFields)
                foreach (var name in new[] { field, field + Bigrams })
                {
                    var scored = Tally(Terms(name, text))
                        .Select(t => (t.Key, Weight: t.Value * (float)Math.Log(1 + total / (1.0 + reader.DocFreq(new Term(name, t.Key))))))
                        .OrderByDescending(t => t.Weight)
                        .Take(MaxQueryTerms)
                        .ToList();
                    var top = scored.Count > 0 ? scored[0].Weight : 1f;
                    result[name] = scored.ToDictionary(t => t.Key, t => t.Weight / top);
                }
            return result;
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    /// <summary>SHOULD clauses: spotted whole keywords, then words and bigrams of each text field (boosted per field).</summary>
    static Query? TextQuery(Dictionary<string, Dictionary<string, float>> weighted, out QueryShape shape, IReadOnlyCollection<string> keywords)
    {
        var query = new BooleanQuery();
        foreach (var keyword in keywords)
            query.Add(new TermQuery(new Term(WholeKeywordField, keyword)) { Boost = WholeKeywordBoost }, Occur.SHOULD);
        var words = new HashSet<string>();
        foreach (var (field, boost) in TextFields)
        {
            foreach (var (term, weight) in weighted[field])
            {
                query.Add(new TermQuery(new Term(field, term)) { Boost = boost * weight }, Occur.SHOULD);
                words.Add(term);
            }
            foreach (var (term, weight) in weighted[field + Bigrams])
                query.Add(new TermQuery(new Term(field + Bigrams, term)) { Boost = boost * weight }, Occur.SHOULD);
        }
        shape = new QueryShape(words);
        return query.Clauses.Count == 0 ? null : query;
    }

    (IReadOnlyList<IndexHit> Hits, int Total, Facets Facets) Run(Query text, SearchFilter filter, int skip, int take, bool withFacets)
    {
        var searcher = searchers.Acquire();
        try
        {
            var query = new FilteredQuery(text, new QueryWrapperFilter(FilterQuery(filter)));
            var top = TopScoreDocCollector.Create(Math.Max(skip + take, 1), true);
            var facets = new FacetCollector();
            searcher.Search(query, withFacets ? MultiCollector.Wrap(top, facets) : top);
            var docs = top.GetTopDocs(skip, take);
            var hits = docs.ScoreDocs.Select(d => new IndexHit(FromLucene(searcher.Doc(d.Doc)), d.Score)).ToList();
            return (hits, docs.TotalHits, facets.Result());
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    static Query FilterQuery(SearchFilter filter)
    {
        var q = new BooleanQuery { { new TermQuery(new Term(KindField, Kind(filter.Kind))), Occur.MUST } };
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
            new StringField(KindField, Kind(listing.Kind), Field.Store.NO),
            new StoredField(JsonField, listing.Json),
            new StringField(TechFieldField, listing.TechField, Field.Store.NO),
            new SortedDocValuesField(TechFieldField, new BytesRef(listing.TechField)),
            new StringField(ProvinceField, listing.Province, Field.Store.NO),
            new SortedDocValuesField(RegionField, new BytesRef(listing.RegionCode ?? "")),
            new Int32Field(TrlField, listing.Trl, Field.Store.NO),
            new NumericDocValuesField(TrlField, listing.Trl),
        };
        if (listing.RegionCode is { } region) doc.Add(new StringField(RegionField, region, Field.Store.NO));
        if (listing.Price is { } price) doc.Add(new DoubleField(PriceField, (double)price, Field.Store.NO));
        foreach (var keyword in listing.Keywords) doc.Add(new StringField(WholeKeywordField, Normalize(keyword), Field.Store.NO));
        var keywords = string.Join(' ', listing.Keywords);
        foreach (var (field, text) in new[] { (Title, listing.Title), (Body, listing.Body), (Keywords, keywords) })
        {
            doc.Add(new TextField(field, text, Field.Store.NO));
            doc.Add(new TextField(field + Bigrams, text, Field.Store.NO));
        }
        return doc;
    }

    static ListingDocument FromLucene(Document doc)
    {
        using var json = System.Text.Json.JsonDocument.Parse(doc.Get(JsonField));
        var kind = json.RootElement.TryGetProperty("summary", out _) ? ListingKind.Achievement : ListingKind.Demand;
        return ListingDocument.FromView(kind, json.RootElement);
    }

    static string Kind(ListingKind kind) => kind == ListingKind.Achievement ? "achievement" : "demand";

    static Dictionary<string, int> Tally(IEnumerable<string> terms)
    {
        var counts = new Dictionary<string, int>();
        foreach (var term in terms) counts[term] = counts.GetValueOrDefault(term) + 1;
        return counts;
    }

    public void Dispose()
    {
        searchers.Dispose();
        writer.Dispose();
        directory.Dispose();
        if (ownedFolder is not null) System.IO.Directory.Delete(ownedFolder, recursive: true);
    }

    sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Bm25 };
    }

    /// <summary>Counts hits by TechField, region and TRL from doc values, alongside the top-k collector.</summary>
    sealed class FacetCollector : ICollector
    {
        readonly Dictionary<string, int> techFields = [], regions = [], trls = [];
        SortedDocValues? techField, region;
        NumericDocValues? trl;
        readonly BytesRef scratch = new();

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer) { }

        public void SetNextReader(AtomicReaderContext context)
        {
            techField = context.AtomicReader.GetSortedDocValues(TechFieldField);
            region = context.AtomicReader.GetSortedDocValues(RegionField);
            trl = context.AtomicReader.GetNumericDocValues(TrlField);
        }

        public void Collect(int doc)
        {
            Add(techFields, techField, doc);
            Add(regions, region, doc);
            if (trl is not null) trls[trl.Get(doc).ToString()] = trls.GetValueOrDefault(trl.Get(doc).ToString()) + 1;
        }

        void Add(Dictionary<string, int> counts, SortedDocValues? values, int doc)
        {
            if (values is null) return;
            values.Get(doc, scratch);
            var key = scratch.Utf8ToString();
            if (key.Length > 0) counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        public Facets Result() => new(techFields, regions, trls);
    }
}

/// <summary>The words a query was built from, to tell which of them a hit shares (for explanations).</summary>
public sealed record QueryShape(IReadOnlySet<string> Words);
