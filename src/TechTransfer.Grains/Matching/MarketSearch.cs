using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using TechTransfer.Listings;

namespace TechTransfer.Matching;

/// <summary>
/// Search, matching, saved-search checks and text scores over the whole market, wherever its partitions are. A host
/// holding every partition (the default: one partition, a full replica on every host) answers from its own
/// <see cref="IndexReplica"/>. Otherwise the read is scattered to one ready holder of each partition
/// (<see cref="ISearchHostGrain"/>) and merged here, with the market's statistics (<see cref="MarketStatistics"/>):
/// the first holder is asked until every statistic its read needs is the market's, the others are then asked at once
/// with them, and evidence and scores are weighed here. Scores are those of one index holding the whole market.
/// </summary>
public sealed class MarketSearch(IndexReplica replica, IGrainFactory grains, IClusterMembershipService membership, ILocalSiloDetails localSilo,
    ILogger<MarketSearch> logger)
{
    /// <summary>A read needs each statistic once; rounds beyond a few mean the holders disagree on the layout.</summary>
    const int MaxRounds = 4;
    static readonly TimeSpan HoldingsFreshFor = TimeSpan.FromSeconds(2);

    /// <summary>What the active hosts said they hold, and when.</summary>
    sealed record Holdings(DateTime At, IReadOnlyList<(SiloAddress Silo, SearchHolding Holding)> Hosts);

    volatile Holdings? holdings;
    int rotation;

    bool Whole => replica.Index.Layout.HoldsAll;

    /// <summary>
    /// Applies every listing committed so far before a match or a saved-search check, so a listing published a moment
    /// ago on another host is a candidate. Holding the whole market, this host's replica; scattered, each holder catches
    /// up itself when asked (<see cref="SearchHostGrain"/>), and this host has nothing to read.
    /// </summary>
    public Task CatchUpAsync(CancellationToken cancellation = default) => Whole ? replica.CatchUpAsync(cancellation) : Task.CompletedTask;

    public async Task<SearchPage> SearchAsync(SearchRequest request, CancellationToken cancellation = default) => Whole
        ? await Task.Run(() => replica.Index.Search(request), cancellation)
        : await RetriedAsync(cover => SearchAsync(cover, request), cancellation);

    /// <summary>The best partners of <paramref name="source"/> (<see cref="MatchEngine.FindMatches"/>), from every partition.</summary>
    public async Task<IReadOnlyList<MatchCandidate>> FindMatchesAsync(ListingDocument source, CancellationToken cancellation = default)
    {
        var engine = replica.Engine;
        return Whole
            ? await Task.Run(() => engine.FindMatches(source), cancellation)
            : await RetriedAsync(cover => FindMatchesAsync(cover, engine, source), cancellation);
    }

    /// <summary>Which of <paramref name="texts"/> find listing <paramref name="id"/> (<see cref="ListingIndex.Finds(string, IReadOnlyList{string})"/>).</summary>
    public async Task<bool[]> FindsAsync(string id, IReadOnlyList<string> texts, CancellationToken cancellation = default) => Whole
        ? await Task.Run(() => replica.Index.Finds(id, texts), cancellation)
        : await RetriedAsync(cover => FindsAsync(cover, replica.Index.Layout.PartitionOf(id), id, texts), cancellation);

    /// <summary>Text scores of a subject against listings (<see cref="ListingIndex.TextScores(ListingDocument, IReadOnlyList{ListingDocument})"/>).</summary>
    public async Task<IReadOnlyList<double>> TextScoresAsync(ListingDocument subject, IReadOnlyList<ListingDocument> others, CancellationToken cancellation = default) => Whole
        ? await Task.Run(() => replica.Index.TextScores(subject, others), cancellation)
        : await RetriedAsync(cover => TextScoresAsync(cover, subject, others), cancellation);

    /// <summary>A search over the partitions of <paramref name="cover"/> (one part per holder asked), merged.</summary>
    public static async Task<SearchPage> SearchAsync(IReadOnlyList<SearchPart> cover, SearchRequest request)
    {
        var market = new Dictionary<string, long>(StringComparer.Ordinal);
        var pages = await ScatterAsync(cover, market, cover, (part, given) => part.Host.Search(part.Partitions, request, given), page => page.Missing);
        var query = await WeighHereAsync(cover, market, statistics => SearchQuery.Parse(request.Text,
            bigram => (int)statistics.Read(MarketStatistics.DocFreq("ad", ListingAnalysis.Body + ListingAnalysis.Bigrams, bigram), () => 0)));
        var sort = query.IsBrowse && request.Sort == SearchSort.Relevance ? SearchSort.Newest : request.Sort;
        var hits = pages.SelectMany(p => p.Hits).Select(h => h.ToHit());
        var ordered = sort switch
        {
            SearchSort.Newest => hits.OrderByDescending(h => h.Document.PublishedAt?.UtcTicks ?? 0).ThenByDescending(h => h.Score),
            SearchSort.Price => hits.OrderBy(h => h.Document.Price ?? decimal.MaxValue).ThenByDescending(h => h.Score),
            _ => hits.OrderByDescending(h => h.Score),
        };
        return new SearchPage([.. ordered.ThenBy(h => h.Document.Id, StringComparer.Ordinal).Skip(request.Skip).Take(request.Take)],
            pages.Sum(p => p.Total),
            new Facets(Sum(pages.Select(p => p.TechField)), Sum(pages.Select(p => p.Region)), Sum(pages.Select(p => p.Trl)), Sum(pages.Select(p => p.Kind))),
            query);
    }

    /// <summary>Matching over the partitions of <paramref name="cover"/>: each part's best candidates, the best of all evidenced here.</summary>
    public static async Task<IReadOnlyList<MatchCandidate>> FindMatchesAsync(IReadOnlyList<SearchPart> cover, MatchEngine engine, ListingDocument source)
    {
        var (filter, take) = MatchEngine.Candidates(source, engine.Options.TopK);
        var market = new Dictionary<string, long>(StringComparer.Ordinal);
        var parts = await ScatterAsync(cover, market, cover,
            (part, given) => part.Host.MoreLike(part.Partitions, source.Kind, source.Json, filter, take, given), hits => hits.Missing);
        IndexHit[] best = [.. parts.SelectMany(p => p.Hits).Select(h => h.ToHit())
            .OrderByDescending(h => h.Score).ThenBy(h => h.Document.Id, StringComparer.Ordinal).Take(take)];
        var evidenced = await WeighHereAsync(cover, market, statistics => ListingIndex.Evidence(source, best, statistics));
        return engine.Rank(source, evidenced);
    }

    /// <summary>A saved-search check, asked of the holder of the listing's <paramref name="partition"/> in <paramref name="cover"/>.</summary>
    public static async Task<bool[]> FindsAsync(IReadOnlyList<SearchPart> cover, int partition, string id, IReadOnlyList<string> texts)
    {
        var holder = cover.First(p => p.Partitions.Contains(partition));
        var market = new Dictionary<string, long>(StringComparer.Ordinal);
        var found = await ScatterAsync(cover, market, [holder with { Partitions = [partition] }],
            (part, given) => part.Host.Finds(part.Partitions, id, [.. texts], given), finds => finds.Missing);
        return found[0].Found;
    }

    /// <summary>Text scores weighed here with the statistics of the market <paramref name="cover"/> holds.</summary>
    public static Task<IReadOnlyList<double>> TextScoresAsync(IReadOnlyList<SearchPart> cover, ListingDocument subject, IReadOnlyList<ListingDocument> others) =>
        WeighHereAsync(cover, new Dictionary<string, long>(StringComparer.Ordinal), statistics => ListingIndex.TextScores(subject, others, statistics));

    /// <summary>
    /// Asks the first of <paramref name="asked"/> until it needs no statistic it was not given, then all the others at
    /// once with the market's statistics so far (any of them missing one is asked again once it is known).
    /// </summary>
    static async Task<T[]> ScatterAsync<T>(IReadOnlyList<SearchPart> cover, Dictionary<string, long> market, IReadOnlyList<SearchPart> asked,
        Func<SearchPart, Dictionary<string, long>, Task<T>> ask, Func<T, Dictionary<string, long>> missing)
    {
        var answers = new T[asked.Count];
        foreach (var group in (int[][])[[0], [.. Enumerable.Range(1, asked.Count - 1)]])
        {
            var pending = group.ToList();
            for (var round = 0; pending.Count > 0; round++)
            {
                if (round == MaxRounds) throw new InvalidOperationException("search partitions keep asking for statistics: do all hosts run one layout?");
                var given = new Dictionary<string, long>(market, StringComparer.Ordinal);
                var replies = await Task.WhenAll(pending.Select(i => ask(asked[i], given)));
                var unknown = new HashSet<string>(StringComparer.Ordinal);
                var again = new List<int>();
                for (var j = 0; j < pending.Count; j++)
                {
                    answers[pending[j]] = replies[j];
                    if (missing(replies[j]) is not { Count: > 0 } keys) continue;
                    unknown.UnionWith(keys.Keys);
                    again.Add(pending[j]);
                }
                if (unknown.Count > 0) await LearnAsync(cover, market, unknown);
                pending = again;
            }
        }
        return answers;
    }

    /// <summary>Runs <paramref name="weigh"/> here until every statistic it reads is the market's.</summary>
    static async Task<T> WeighHereAsync<T>(IReadOnlyList<SearchPart> cover, Dictionary<string, long> market, Func<MarketStatistics, T> weigh)
    {
        for (var round = 0; ; round++)
        {
            var statistics = new MarketStatistics(market);
            var result = weigh(statistics);
            if (statistics.Missing.Count == 0) return result;
            if (round == MaxRounds) throw new InvalidOperationException("weighing keeps asking for statistics");
            await LearnAsync(cover, market, statistics.Missing.Keys);
        }
    }

    /// <summary>The market's value of each key: the sum over one holder of each partition.</summary>
    static async Task LearnAsync(IReadOnlyList<SearchPart> cover, Dictionary<string, long> market, IEnumerable<string> keys)
    {
        string[] asked = [.. keys];
        foreach (var values in await Task.WhenAll(cover.Select(part => part.Host.Statistics(part.Partitions, asked))))
            MarketStatistics.Add(market, values);
    }

    /// <summary>Once more with a fresh view of the holders when a holder failed (stopped, restarted, still loading).</summary>
    async Task<T> RetriedAsync<T>(Func<IReadOnlyList<SearchPart>, Task<T>> read, CancellationToken cancellation)
    {
        var cover = await CoverAsync(cancellation);
        try
        {
            return await read(cover);
        }
        catch (Exception e) when (e is not OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            logger.LogInformation(e, "A search partition holder failed; asking again with a fresh view of the holders");
            holdings = null;
            return await read(await CoverAsync(cancellation));
        }
    }

    /// <summary>
    /// One ready holder of each partition, as few hosts as possible: this host for what it holds, then for each
    /// partition left a host already asked if it holds it, else its holders in turn (spreading the load).
    /// </summary>
    async Task<IReadOnlyList<SearchPart>> CoverAsync(CancellationToken cancellation)
    {
        var hosts = await HoldingsAsync(cancellation);
        var layout = replica.Index.Layout;
        var chosen = new Dictionary<SiloAddress, List<int>>();
        var turn = Interlocked.Increment(ref rotation);
        for (var partition = 0; partition < layout.Count; partition++)
        {
            var holders = hosts.Where(h => h.Holding.Ready && h.Holding.Partitions == layout.Count && h.Holding.Held.Contains(partition))
                .Select(h => h.Silo).ToList();
            if (holders.Count == 0) throw new SearchUnavailableException(partition);
            var silo = holders.Contains(localSilo.SiloAddress) ? localSilo.SiloAddress
                : holders.FirstOrDefault(chosen.ContainsKey) ?? holders[(int)((uint)turn % holders.Count)];
            (chosen.TryGetValue(silo, out var list) ? list : chosen[silo] = []).Add(partition);
        }
        return [.. chosen.Select(c => new SearchPart(grains.GetGrain<ISearchHostGrain>(c.Key.ToParsableString()), [.. c.Value]))];
    }

    /// <summary>What each active host holds and whether it is loaded, asked of every host at most every two seconds.</summary>
    async Task<IReadOnlyList<(SiloAddress Silo, SearchHolding Holding)>> HoldingsAsync(CancellationToken cancellation)
    {
        if (holdings is { } known && DateTime.UtcNow - known.At < HoldingsFreshFor) return known.Hosts;
        var active = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();
        var asked = await Task.WhenAll(active.Select(async silo =>
        {
            try
            {
                return ((SiloAddress Silo, SearchHolding Holding)?)(silo,
                    await grains.GetGrain<ISearchHostGrain>(silo.ToParsableString()).Holding().WaitAsync(HoldingsFreshFor, cancellation));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
            {
                logger.LogDebug(e, "Search host {Silo} did not say what it holds", silo);
                return null;
            }
        }));
        var hosts = asked.OfType<(SiloAddress, SearchHolding)>().ToList();
        holdings = new Holdings(DateTime.UtcNow, hosts);
        return hosts;
    }

    static Dictionary<string, int> Sum(IEnumerable<Dictionary<string, int>> counts)
    {
        var sum = new Dictionary<string, int>();
        foreach (var (key, value) in counts.SelectMany(c => c)) sum[key] = sum.GetValueOrDefault(key) + value;
        return sum;
    }
}

/// <summary>One host asked for its part of a scattered read: the partitions it is asked for.</summary>
public sealed record SearchPart(ISearchHostGrain Host, int[] Partitions);

/// <summary>No ready host holds a partition of the market: search answers 503 until one does.</summary>
public sealed class SearchUnavailableException(int partition)
    : Exception($"no host holding search partition {partition} is ready")
{
    public int Partition => partition;
}
