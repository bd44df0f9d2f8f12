using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Spans;
using Lucene.Net.Util;
using TechTransfer.Listings;
using static TechTransfer.Matching.ListingAnalysis;

namespace TechTransfer.Matching;

/// <summary>The order of search hits: text relevance, newest published first, or cheapest first (unpriced last).</summary>
public enum SearchSort { Relevance, Newest, Price }

/// <summary>A free-text search: the text, which kind (null: both, 全部), the filters, the order and the page.</summary>
[GenerateSerializer, Immutable, Alias("tt.SearchRequest")]
public sealed record SearchRequest(
    string Text, ListingKind? Kind = null, string? TechField = null, string? Province = null, string? RegionCode = null,
    int? TrlMin = null, decimal? PriceMax = null, SearchSort Sort = SearchSort.Relevance, int Skip = 0, int Take = 20);

/// <summary>One page of a search: hits of either kind, how many there are in all, facet counts, and how the text was read.</summary>
public sealed record SearchPage(IReadOnlyList<IndexHit> Hits, int Total, Facets Facets, SearchQuery Query);

/// <summary>Free-text search (docs/matching.md, "Search"); query-by-document is in ListingIndex.cs.</summary>
public sealed partial class ListingIndex
{
    const string PublishedField = "published", PriceSortField = "priceSort";

    // Boosts of search, relative to the field boosts of TextFields.
    const float DeclaredKeywordBoost = 2f, PhraseBoost = 2f, NearBoost = 1f;
    const int MaxNearConcepts = 8;

    /// <summary>Free text search of one kind with filters, by relevance (the contract before kinds and sorting).</summary>
    public (IReadOnlyList<IndexHit> Hits, int Total, Facets Facets) Search(string text, SearchFilter filter, int skip, int take)
    {
        var page = Search(new SearchRequest(text, filter.Kind, filter.TechField, filter.Province, filter.RegionCode, filter.TrlMin,
            filter.PriceMax, SearchSort.Relevance, skip, take));
        return (page.Hits, page.Total, page.Facets);
    }

    /// <summary>
    /// Free text search over one kind or both. Both shards are read as one index (a MultiReader), so both kinds are
    /// scored with the same statistics and ranked in one list: a score means the same whichever kind a hit is.
    /// No text browses (newest first); a text without a meaningful word finds nothing and says why.
    /// </summary>
    public SearchPage Search(SearchRequest request) =>
        ReadBoth(null, null, (searcher, achievementDocs) => Search(searcher, new TermLookup(searcher.IndexReader), achievementDocs, request));

    /// <summary>
    /// A part of a scattered search: the page's candidates among this host's partitions <paramref name="scope"/>
    /// (the first Skip + Take), their total and facets, scored with the market's statistics; the one asking merges.
    /// </summary>
    public SearchPage Search(SearchRequest request, IReadOnlyCollection<int> scope, MarketStatistics market) =>
        ReadBoth(scope, market, (searcher, achievementDocs) =>
            Search(searcher, new TermLookup(searcher.IndexReader, market, BothSides), achievementDocs, request with { Skip = 0, Take = request.Skip + request.Take },
                market));

    /// <summary>
    /// Which of <paramref name="texts"/> find listing <paramref name="id"/>: each read and queried exactly as
    /// <see cref="Search(SearchRequest)"/> reads it (same statistics, same minimum of concepts), but only asked about
    /// that one document (its scorer advanced to it), so a saved search is told of a new listing exactly when
    /// searching would now show it. The filters are checked by the caller. A text that cannot reach its minimum of
    /// concepts in the listing's own words (<see cref="MayHold"/>) is answered without Lucene: building a query's
    /// weight (the statistics of every term in every field) is what costs, ~0.45 ms a text (docs/portal.md, "订阅").
    /// </summary>
    public bool[] Finds(string id, IReadOnlyList<string> texts) => Finds(id, texts, null, null);

    /// <summary><see cref="Finds(string, IReadOnlyList{string})"/> in the partitions <paramref name="scope"/>, read with the market's statistics.</summary>
    public bool[] Finds(string id, IReadOnlyList<string> texts, IReadOnlyCollection<int>? scope, MarketStatistics? market) => ReadBoth(scope, market, (searcher, achievementDocs) =>
    {
        var found = new bool[texts.Count];
        var hit = searcher.Search(new TermQuery(new Term(IdField, id)), 1).ScoreDocs;
        if (hit.Length == 0) return found; // not (or no longer) on the market
        var listing = FromLucene(hit[0].Doc < achievementDocs ? ListingKind.Achievement : ListingKind.Demand, searcher.Doc(hit[0].Doc));
        var verbatim = Verbatim(string.Join('\n', [listing.Title, listing.Body, .. listing.Keywords]));
        var leaves = searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(hit[0].Doc, leaves)];
        var doc = hit[0].Doc - leaf.DocBase;
        var terms = new TermLookup(searcher.IndexReader, market, BothSides);
        for (var i = 0; i < texts.Count; i++)
        {
            var query = SearchQuery.Parse(texts[i], bigram => terms.DocFreq(Body + Bigrams, bigram));
            if (query.FindsNothing || query.IsBrowse || query.Concepts.Count(c => MayHold(verbatim, c)) < query.MinimumShouldMatch) continue;
            var scorer = searcher.CreateNormalizedWeight(TextQuery(terms, query)).GetScorer(leaf, leaf.AtomicReader.LiveDocs);
            found[i] = scorer is not null && scorer.Advance(doc) == doc;
        }
        return found;
    });

    /// <summary>
    /// Whether a listing whose text is <paramref name="verbatim"/> may hold <paramref name="concept"/>. A concept of
    /// Chinese characters only is held only where its characters stand in a row (words or bigrams in a row, or a
    /// declared keyword, all drawn from title, body and keywords): if they do not, it is not. A concept with Latin
    /// letters or digits may be held through stemming or tokens apart (batteries, Li4 Ti5O12): assumed possible.
    /// </summary>
    static bool MayHold(string verbatim, QueryConcept concept)
    {
        var text = Verbatim(concept.Surface);
        return text.Length == 0 || !text.All(c => c >= '\u2E80' && System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.OtherLetter)
            || verbatim.Contains(text, StringComparison.Ordinal);
    }

    /// <summary>The letters and digits of a text, lower-cased (NFKC first): what "in a row" compares.</summary>
    static string Verbatim(string text) =>
        string.Concat(text.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant().Where(char.IsLetterOrDigit));

    /// <summary>
    /// Both kinds of the partitions <paramref name="scope"/> (all held when null) read as one index (see
    /// <see cref="Search(SearchRequest)"/>); the second argument is where demands start.
    /// </summary>
    T ReadBoth<T>(IReadOnlyCollection<int>? scope, MarketStatistics? market, Func<IndexSearcher, int, T> read)
    {
        var held = PartitionsIn(scope).ToList();
        Shard[] shards = [.. held.Select(p => Fresh(p.Achievements)), .. held.Select(p => Fresh(p.Demands))];
        return ReadShards(shards, BothSides, market, (searcher, readers) => read(searcher, readers[..held.Count].Sum(r => r.MaxDoc)));
    }

    static SearchPage Search(IndexSearcher searcher, TermLookup terms, int achievementDocs, SearchRequest request, MarketStatistics? market = null)
    {
        var query = SearchQuery.Parse(request.Text, bigram => terms.DocFreq(Body + Bigrams, bigram));
        if (query.FindsNothing) return new SearchPage([], 0, Facets.None, query);

        var text = query.IsBrowse ? new MatchAllDocsQuery() : TextQuery(terms, query);
        if (LearningStatistics(searcher, text, market)) return new SearchPage([], 0, Facets.None, query);
        // Province and price are plain filters; kind, TechField, region and TRL are facets, applied by the collector.
        var filters = new BooleanQuery();
        if (request.Province is { } province) filters.Add(new TermQuery(new Term(ProvinceField, province)), Occur.MUST);
        if (request.PriceMax is { } price) filters.Add(NumericRangeQuery.NewDoubleRange(PriceField, null, (double)price, true, true), Occur.MUST);
        var filtered = filters.Clauses.Count == 0 ? text : new FilteredQuery(text, new QueryWrapperFilter(filters));

        var count = Math.Max(request.Skip + request.Take, 1);
        var sort = query.IsBrowse && request.Sort == SearchSort.Relevance ? SearchSort.Newest : request.Sort;
        ITopDocsCollector top = sort switch
        {
            SearchSort.Newest => TopFieldCollector.Create(new Sort(new SortField(PublishedField, SortFieldType.INT64, reverse: true), SortField.FIELD_SCORE),
                count, fillFields: false, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false),
            SearchSort.Price => TopFieldCollector.Create(new Sort(new SortField(PriceSortField, SortFieldType.DOUBLE), SortField.FIELD_SCORE),
                count, fillFields: false, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false),
            _ => TopScoreDocCollector.Create(count, docsScoredInOrder: false),
        };
        var collector = new SearchCollector((ICollector)top, request, achievementDocs);
        searcher.Search(filtered, collector);
        var docs = top.GetTopDocs(request.Skip, request.Take);
        var hits = docs.ScoreDocs
            .Select(d => new IndexHit(FromLucene(d.Doc < achievementDocs ? ListingKind.Achievement : ListingKind.Demand, searcher.Doc(d.Doc)), d.Score))
            .ToList();
        // A page past the last hit gets Lucene's empty TopDocs, whose TotalHits is 0: the collector still knows the total.
        return new SearchPage(hits, top.TotalHits, collector.Facets(), query);
    }

    /// <summary>
    /// Every concept is a clause and a hit must match most of them (coordination then ranks the ones that match all
    /// first); the phrases the user wrote, verbatim, and the concepts near each other, in any order, add to the score.
    /// </summary>
    static Query TextQuery(TermLookup terms, SearchQuery query)
    {
        var concepts = new BooleanQuery { MinimumNumberShouldMatch = query.MinimumShouldMatch };
        foreach (var concept in query.Concepts) concepts.Add(ConceptQuery(terms, concept), Occur.SHOULD);
        var result = new BooleanQuery(disableCoord: true) { { concepts, Occur.MUST } };

        foreach (var phrase in query.Phrases)
        {
            foreach (var (field, _, boost) in TextFields.Where(f => IsBigramField(f.Field)))
                result.Add(Sequence(terms, field, phrase.Bigrams, PhraseBoost * boost), Occur.SHOULD);
            result.Add(Boosted(terms.Query(WholeKeywordField, TextEvidence.Normalize(phrase.Surface)), PhraseBoost * DeclaredKeywordBoost), Occur.SHOULD);
        }
        if (query.Concepts.Count is > 1 and <= MaxNearConcepts)
        {
            foreach (var (field, _, boost) in TextFields.Where(f => IsBigramField(f.Field)))
            {
                SpanQuery[] spans = [.. query.Concepts.Select(c => Span(field, c.Bigrams))];
                result.Add(Boosted(new SpanNearQuery(spans, 3 * (spans.Length - 1), inOrder: false), NearBoost * boost), Occur.SHOULD);
            }
        }
        return result;
    }

    /// <summary>
    /// A document holds a concept when its title or keyword words hold the concept's words in a row, or a bigram field
    /// holds its bigrams in a row (the text verbatim, however SmartCn segmented the document), or it declares the
    /// concept as a keyword. The clauses add up, as a field match did before; none is required.
    /// </summary>
    static Query ConceptQuery(TermLookup terms, QueryConcept concept)
    {
        var query = new BooleanQuery(disableCoord: true);
        foreach (var (field, _, boost) in TextFields)
            query.Add(Sequence(terms, field, IsBigramField(field) ? concept.Bigrams : concept.Words, boost), Occur.SHOULD);
        query.Add(Boosted(terms.Query(WholeKeywordField, concept.Text), DeclaredKeywordBoost), Occur.SHOULD);
        return query;
    }

    /// <summary>One term, or the terms as a phrase (consecutive positions).</summary>
    static Query Sequence(TermLookup terms, string field, IReadOnlyList<string> sequence, float boost)
    {
        if (sequence.Count == 1) return Boosted(terms.Query(field, sequence[0]), boost);
        var phrase = new PhraseQuery { Boost = boost };
        foreach (var term in sequence) phrase.Add(new Term(field, term));
        return phrase;
    }

    static SpanQuery Span(string field, IReadOnlyList<string> bigrams) => bigrams.Count == 1
        ? new SpanTermQuery(new Term(field, bigrams[0]))
        : new SpanNearQuery([.. bigrams.Select(b => (SpanQuery)new SpanTermQuery(new Term(field, b)))], 0, inOrder: true);

    static Query Boosted(Query query, float boost)
    {
        query.Boost = boost;
        return query;
    }

    /// <summary>
    /// Collects the hits that pass every filter into the top-k collector, and counts each facet over the documents that
    /// pass every filter but its own: the count beside a value is the number of hits after clicking it. TechField and
    /// region are counted by ordinal per segment and named once per segment.
    /// </summary>
    sealed class SearchCollector(ICollector top, SearchRequest request, int achievementDocs) : ICollector
    {
        const int MaxTrl = 9;
        const int Any = int.MinValue;

        readonly Dictionary<string, int> techFields = [], regions = [];
        readonly int[] kinds = new int[2], trls = new int[MaxTrl + 1];
        readonly BytesRef scratch = new();
        SortedDocValues? techField, region;
        NumericDocValues? trl;
        int[] techFieldCounts = [], regionCounts = [];
        int wantedTechField = Any, wantedRegion = Any;
        ListingKind kind;

        public bool AcceptsDocsOutOfOrder => top.AcceptsDocsOutOfOrder;

        public void SetScorer(Scorer scorer) => top.SetScorer(scorer);

        public void SetNextReader(AtomicReaderContext context)
        {
            Flush();
            top.SetNextReader(context);
            kind = context.DocBase < achievementDocs ? ListingKind.Achievement : ListingKind.Demand;
            techField = context.AtomicReader.GetSortedDocValues(TechFieldField);
            region = context.AtomicReader.GetSortedDocValues(RegionField);
            trl = context.AtomicReader.GetNumericDocValues(TrlField);
            techFieldCounts = new int[techField?.ValueCount ?? 0];
            regionCounts = new int[region?.ValueCount ?? 0];
            // A value this segment does not hold has a negative ordinal, which no document has.
            wantedTechField = request.TechField is { } f ? techField?.LookupTerm(new BytesRef(f)) ?? -1 : Any;
            wantedRegion = request.RegionCode is { } r ? region?.LookupTerm(new BytesRef(r)) ?? -1 : Any;
        }

        public void Collect(int doc)
        {
            var fieldOrd = techField?.GetOrd(doc) ?? -1;
            var regionOrd = region?.GetOrd(doc) ?? -1;
            var level = Math.Clamp((int)(trl?.Get(doc) ?? 0), 0, MaxTrl);
            var kindOk = request.Kind is null || request.Kind == kind;
            var fieldOk = wantedTechField == Any || fieldOrd >= 0 && fieldOrd == wantedTechField;
            var regionOk = wantedRegion == Any || regionOrd >= 0 && regionOrd == wantedRegion;
            var trlOk = request.TrlMin is not { } min || level >= min;
            if (kindOk && fieldOk && regionOk && trlOk) top.Collect(doc);
            if (fieldOk && regionOk && trlOk) kinds[(int)kind]++;
            if (kindOk && regionOk && trlOk && fieldOrd >= 0) techFieldCounts[fieldOrd]++;
            if (kindOk && fieldOk && trlOk && regionOrd >= 0) regionCounts[regionOrd]++;
            if (kindOk && fieldOk && regionOk) trls[level]++;
        }

        void Flush()
        {
            Name(techField, techFieldCounts, techFields);
            Name(region, regionCounts, regions);
        }

        void Name(SortedDocValues? values, int[] counts, Dictionary<string, int> into)
        {
            for (var ord = 0; ord < counts.Length; ord++)
            {
                if (counts[ord] == 0) continue;
                values!.LookupOrd(ord, scratch);
                var key = scratch.Utf8ToString();
                if (key.Length > 0) into[key] = into.GetValueOrDefault(key) + counts[ord];
            }
            Array.Clear(counts);
        }

        /// <summary>The counts, TRL as "at least n" (what the trlMin filter keeps).</summary>
        public Facets Facets()
        {
            Flush();
            var atLeast = new Dictionary<string, int>();
            for (int level = MaxTrl, sum = 0; level >= 1; level--)
            {
                sum += trls[level];
                if (sum > 0) atLeast[level.ToString()] = sum;
            }
            return new Facets(techFields, regions, atLeast,
                new Dictionary<string, int> { ["achievement"] = kinds[(int)ListingKind.Achievement], ["demand"] = kinds[(int)ListingKind.Demand] });
        }
    }
}
