using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using TechTransfer.Matching;
using TechTransfer.Terminal;

namespace TechTransfer.Commands;

/// <summary>
/// techtransfer bench-match: indexes N achievements with the production index (synthesising realistic ones from
/// the file's sentences and keywords when N exceeds it), then times match-by-document and free-text search with
/// the demands file's texts. With --peer pgtrgm, runs the same documents and queries through PostgreSQL pg_trgm
/// (GIN) in the same run. With --index-dir PATH the index lives in memory-mapped files there (as a host with
/// IndexPath), and the benchmark then also times reopening it from its files. With --partitions N --hold 0,1 it is one
/// host of a partitioned market: of the N listings synthesised it indexes those of the partitions it holds, and the
/// timings are that host's part of a scattered match or search. Prints one JSON object on its last line.
/// </summary>
public static class BenchMatchCommand
{
    public static async Task<int> RunAsync(CommandLine args)
    {
        var scale = args.Int("scale", 100_000);
        var queries = args.Int("queries", 1000);
        var source = EvalData.Achievements(args.Required("achievements")).ToList();
        var demands = EvalData.Demands(args.Required("demands"));
        // Streamed, never held: the process' working set is the index's, not the benchmark's.
        var documents = Synthesize(source, scale);

        var directory = args.Option("index-dir");
        if (directory is not null && Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        using var heap = new HeapWatch();
        var layout = PartitionLayout.Parse(args.Int("partitions", 1), args.Option("hold"));
        var index = directory is null ? new ListingIndex(layout) : ListingIndex.Create(directory, layout);
        var engine = new MatchEngine(index, new MatchingOptions());
        _ = ListingAnalysis.Terms(ListingAnalysis.Title, "预热"); // load the SmartCn dictionaries outside the timing
        var progress = new ProgressBar("index", scale * layout.Held.Length / layout.Count);
        var clock = Stopwatch.StartNew();
        foreach (var chunk in documents.Chunk(10_000))
        {
            index.UpsertMany(chunk);
            progress.Report(index.Count);
        }
        index.Refresh();       // flushes the last buffered documents
        index.WaitForMerges(); // the merges that flush set off are part of indexing
        index.Refresh();       // searches see the merged segments
        var indexSeconds = clock.Elapsed.TotalSeconds;
        progress.Done();

        var asks = Enumerable.Range(0, queries).Select(i => demands[i % demands.Count]).ToList();
        foreach (var ask in asks.Take(100)) engine.FindMatches(EvalData.AsListing(ask)); // warm up (tiered JIT)
        var match = Time(asks, ask => engine.FindMatches(EvalData.AsListing(ask)));
        var search = Time(asks, ask => index.Search(ask.Text, new SearchFilter(Listings.ListingKind.Achievement), 0, 20));

        var result = new Dictionary<string, object>
        {
            ["docs"] = index.Count,
            ["market_docs"] = scale,
            ["partitions"] = layout.Stamp,
            ["index_docs_per_s"] = Math.Round(index.Count / indexSeconds),
            ["index_s"] = Math.Round(indexSeconds),
            ["match_p50_ms"] = Percentiles.Of(match, 0.50, 3),
            ["match_p99_ms"] = Percentiles.Of(match, 0.99, 3),
            ["search_p50_ms"] = Percentiles.Of(search, 0.50, 3),
            ["search_p99_ms"] = Percentiles.Of(search, 0.99, 3),
            ["index_bytes"] = index.SizeInBytes(),
            ["peak_working_set_bytes"] = Process.GetCurrentProcess().PeakWorkingSet64,
            ["peak_managed_heap_bytes"] = heap.Peak,
            ["index_in"] = directory is null ? "memory" : "files",
        };
        if (args.Int("scatter", 0) is var parts and > 1)
        {
            // The same market in `parts` partitions read by MarketSearch's scatter (in this process: no network), against
            // the whole index: what the market's statistics and the merge cost, and whether the answers agree.
            var partitions = Enumerable.Range(0, parts).Select(p => new ListingIndex(PartitionLayout.Of(parts, [p]))).ToList();
            foreach (var chunk in documents.Chunk(10_000)) Parallel.ForEach(partitions, partition => partition.UpsertMany(chunk));
            foreach (var partition in partitions) partition.Refresh();
            SearchPart[] cover = [.. partitions.Select((partition, p) => new SearchPart(new InProcessSearchHost(partition), [p]))];
            var sameTop = 0;
            foreach (var ask in asks.Take(100))
            {
                var listing = EvalData.AsListing(ask);
                var (whole, scattered) = (engine.FindMatches(listing), await MarketSearch.FindMatchesAsync(cover, engine, listing));
                if (whole.Select(m => m.AchievementId).SequenceEqual(scattered.Select(m => m.AchievementId))) sameTop++;
            }
            var scatteredMatch = Time(asks, ask => MarketSearch.FindMatchesAsync(cover, engine, EvalData.AsListing(ask)).GetAwaiter().GetResult());
            var scatteredSearch = Time(asks, ask => MarketSearch.SearchAsync(cover,
                new SearchRequest(ask.Text, Listings.ListingKind.Achievement, Take: 20)).GetAwaiter().GetResult());
            result["scatter_partitions"] = parts;
            result["scatter_same_matches_of_100"] = sameTop;
            result["scatter_match_p50_ms"] = Percentiles.Of(scatteredMatch, 0.50, 3);
            result["scatter_match_p99_ms"] = Percentiles.Of(scatteredMatch, 0.99, 3);
            result["scatter_search_p50_ms"] = Percentiles.Of(scatteredSearch, 0.50, 3);
            result["scatter_search_p99_ms"] = Percentiles.Of(scatteredSearch, 0.99, 3);
            foreach (var partition in partitions) partition.Dispose();
        }
        if (args.Option("peer") == "pgtrgm")
        {
            var peer = await PgTrgmPeer.RunAsync(args.Required("connection", "ConnectionStrings__techtransfer"), documents, asks);
            peer.Sort();
            result["peer_match_p50_ms"] = Percentiles.Of(peer, 0.50, 3);
            result["peer_match_p99_ms"] = Percentiles.Of(peer, 0.99, 3);
            result["p99_ratio_peer_over_ours"] = Math.Round(Percentiles.Of(peer, 0.99, 3) / Math.Max(Percentiles.Of(match, 0.99, 3), 0.001), 2);
        }
        if (directory is not null)
        {
            // A host's restart: commit, close, then open from the files and answer the first search.
            index.Commit(new Dictionary<string, string> { ["position"] = "bench" });
            index.Dispose();
            var reopen = Stopwatch.StartNew();
            var (reopened, _) = ListingIndex.Open(directory, layout) ?? throw new InvalidOperationException("the committed index did not open");
            using (reopened)
            {
                reopened.Search(asks[0].Text, new SearchFilter(Listings.ListingKind.Achievement), 0, 20);
                result["reopen_and_first_search_s"] = Math.Round(reopen.Elapsed.TotalSeconds, 2);
                result["reopened_docs"] = reopened.Count;
            }
        }
        else index.Dispose();
        System.Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>A partition host in this process: what <see cref="SearchHostGrain"/> answers, without Orleans.</summary>
    sealed class InProcessSearchHost(ListingIndex index) : ISearchHostGrain
    {
        public Task<SearchHolding> Holding() => Task.FromResult(new SearchHolding(index.Layout.Count, index.Layout.Held, true));

        public Task<Dictionary<string, long>> Statistics(int[] partitions, string[] keys) => Task.FromResult(index.Statistics(partitions, keys));

        public Task<PartitionPage> Search(int[] partitions, SearchRequest request, Dictionary<string, long> market) =>
            Task.FromResult(PartitionPage.Of(index, partitions, request, market));

        public Task<PartitionHits> MoreLike(int[] partitions, Listings.ListingKind kind, string json, SearchFilter filter, int take,
            Dictionary<string, long> market) => Task.FromResult(PartitionHits.Of(index, partitions, kind, json, filter, take, market));

        public Task<PartitionFinds> Finds(int[] partitions, string id, string[] texts, Dictionary<string, long> market) =>
            Task.FromResult(PartitionFinds.Of(index, partitions, id, texts, market));
    }

    /// <summary>The largest managed heap seen (GC heap size after each collection, sampled every 50 ms).</summary>
    sealed class HeapWatch : IDisposable
    {
        readonly Timer timer;
        long peak;

        public HeapWatch() => timer = new Timer(_ =>
        {
            var size = GC.GetGCMemoryInfo().HeapSizeBytes;
            if (size > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, size);
        }, null, 0, 50);

        public long Peak => Interlocked.Read(ref peak);

        public void Dispose() => timer.Dispose();
    }

    static List<double> Time<T>(IEnumerable<T> items, Action<T> work)
    {
        var samples = new List<double>();
        foreach (var item in items)
        {
            var started = Stopwatch.GetTimestamp();
            work(item);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        samples.Sort(); // percentiles read them in order
        return samples;
    }

    /// <summary>
    /// The file's records, then synthetic ones: a real title's head with another's tail, 4–8 sentences drawn from
    /// the pool of abstract sentences, 3–5 real keywords. Deterministic (fixed seed), so runs compare.
    /// </summary>
    static IEnumerable<ListingDocument> Synthesize(List<ListingDocument> source, int count)
    {
        foreach (var doc in source.Take(count)) yield return doc;
        var sentences = source.SelectMany(d => d.Body.Split('。', '.', '；')).Where(s => s.Length > 8).ToArray();
        var keywords = source.SelectMany(d => d.Keywords).Distinct().ToArray();
        var random = new Random(20261125);
        for (var i = source.Count; i < count; i++)
        {
            var a = source[random.Next(source.Count)].Title;
            var b = source[random.Next(source.Count)].Title;
            var title = a[..(a.Length / 2)] + b[(b.Length / 2)..];
            var body = string.Join("。", Enumerable.Range(0, random.Next(4, 9)).Select(_ => sentences[random.Next(sentences.Length)])) + "。";
            var words = Enumerable.Range(0, random.Next(3, 6)).Select(_ => keywords[random.Next(keywords.Length)]).Distinct().ToArray();
            yield return EvalData.Achievement($"syn-{i:D7}", title, body, words);
        }
    }

    /// <summary>What a typical platform builds instead: pg_trgm word similarity over one text column with a GIN index.</summary>
    static class PgTrgmPeer
    {
        public static async Task<List<double>> RunAsync(string server, IEnumerable<ListingDocument> documents, List<EvalData.Demand> asks)
        {
            var builder = new NpgsqlConnectionStringBuilder(server) { Database = $"tt_bench_{Environment.ProcessId}" };
            await Database.Migrator.MigrateAsync(builder.ConnectionString); // creates the database
            try
            {
                await using var db = NpgsqlDataSource.Create(builder.ConnectionString);
                await Execute(db, "CREATE EXTENSION IF NOT EXISTS pg_trgm; DROP TABLE IF EXISTS bench_doc; CREATE TABLE bench_doc (id text PRIMARY KEY, body text NOT NULL)");
                await using (var connection = await db.OpenConnectionAsync())
                await using (var copy = await connection.BeginBinaryImportAsync("COPY bench_doc (id, body) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var d in documents)
                    {
                        await copy.StartRowAsync();
                        await copy.WriteAsync(d.Id);
                        await copy.WriteAsync(d.Title + " " + string.Join(" ", d.Keywords) + " " + d.Body);
                    }
                    await copy.CompleteAsync();
                }
                await Execute(db, "CREATE INDEX bench_doc_trgm ON bench_doc USING gin (body gin_trgm_ops); ANALYZE bench_doc");
                var samples = new List<double>();
                foreach (var ask in asks)
                {
                    var started = Stopwatch.GetTimestamp();
                    await using var command = db.CreateCommand(
                        "SELECT id FROM bench_doc WHERE $1 <% body ORDER BY word_similarity($1, body) DESC LIMIT 10");
                    command.Parameters.Add(new() { Value = ask.Text });
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync()) { }
                    samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                return samples;
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres" };
                await using var connection = new NpgsqlConnection(admin.ConnectionString);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{builder.Database}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }

        static async Task Execute(NpgsqlDataSource db, string sql)
        {
            await using var command = db.CreateCommand(sql);
            command.CommandTimeout = 0; // building the GIN index over 10⁵–10⁶ rows takes minutes
            await command.ExecuteNonQueryAsync();
        }
    }
}
