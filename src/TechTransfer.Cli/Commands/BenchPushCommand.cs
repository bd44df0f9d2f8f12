using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using TechTransfer.Database;
using TechTransfer.Matching;
using TechTransfer.PushBench;
using TechTransfer.RegionalCenters;
using TechTransfer.Terminal;

namespace TechTransfer.Commands;

/// <summary>
/// techtransfer bench-push: the live network end to end. Starts a host of its own (or targets --server), with N
/// background listings in its market, connects K real SignalR clients for U bench users, and publishes R
/// achievements a second for S seconds on an open-loop schedule (drafted beforehand), each made to match one
/// bench enterprise's open demand. Measures publish → MatchFound at every entitled client, checks that every
/// client got every match it is entitled to exactly once, and samples the host's working set. With --rate 0 it
/// only holds the connections. Progress on stderr; one JSON object on the last line of stdout.
/// </summary>
public static class BenchPushCommand
{
    public static async Task<int> RunAsync(CommandLine args)
    {
        var clientCount = args.Int("clients", 1000);
        var rate = args.Int("rate", 50);
        var seconds = args.Int("seconds", 60);
        var warmup = args.Int("warmup", 10);
        var listings = args.Int("listings", 100_000);
        var userCount = args.Int("users", Math.Min(clientCount, 1000));
        var grace = TimeSpan.FromSeconds(args.Int("grace", 10));
        var brokersPerCenter = args.Int("brokers-per-center", 0);
        if (brokersPerCenter < 0) throw new CommandException("need --brokers-per-center ≥ 0");
        var membersPerOrganization = args.Int("members-per-org", 0);
        if (membersPerOrganization < 0) throw new CommandException("need --members-per-org ≥ 0");
        if (clientCount < 1 || rate < 0 || seconds < 1 || warmup < 0 || listings < 0 || userCount < 2 || userCount > clientCount)
            throw new CommandException("need --clients ≥ 1, --rate ≥ 0, --seconds ≥ 1, --warmup ≥ 0, --listings ≥ 0 and 2 ≤ --users ≤ --clients");

        var loadBefore = LoadAverage();
        var root = BenchHost.RepositoryRoot();
        var corpus = Corpus.Load(root);
        var regions = RegionDirectory.Load(Path.Combine(AppContext.BaseDirectory, "silo-config", "regions.json"));
        BenchHost? host = null;
        Uri server;
        string? costDatabase = args.Option("connection");
        if (args.Option("server") is { } url)
        {
            server = new Uri(url);
            // Loading into a running host's database works too: its replica follows the change feed.
            if (args.Option("connection") is { } target) await BackgroundListings.EnsureAsync(target, listings, corpus, regions);
        }
        else
        {
            var database = BenchHost.BenchDatabase(args.Required("connection", "ConnectionStrings__techtransfer"), args.Option("database") ?? "techtransfer_bench");
            costDatabase = database;
            await Migrator.MigrateAsync(database);
            await BackgroundListings.EnsureAsync(database, listings, corpus, regions);
            host = await BenchHost.StartAsync(database, build: !args.Flag("no-build"), readyWithin: TimeSpan.FromMinutes(15),
                httpPort: args.Int("port", BenchHost.HttpPort));
            server = host.Url;
        }

        PushClients? clients = null;
        HostSampler? sampler = null;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 512 }) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };
            var (admin, password) = (args.Option("account", "TECHTRANSFER_ACCOUNT") ?? Demo.NationalAdmin, args.Option("password", "TECHTRANSFER_PASSWORD") ?? Demo.Password);
            var network = await BenchNetwork.PrepareAsync(http, admin, password, userCount, withDemands: rate > 0, corpus);
            if (brokersPerCenter > 0) await AddBrokersAsync(network.Api, await network.Api.SignInAsync(admin, password), regions, brokersPerCenter);
            if (membersPerOrganization > 0) await AddMembersAsync(network, membersPerOrganization);
            sampler = await HostSampler.StartAsync(server);
            var before = await sampler.ReadNowAsync();
            sampler.ResetPeak();
            clients = await PushClients.ConnectAsync(server, network.Users, clientCount);
            Console.Error.WriteLine($"bench-push: {clientCount} clients connected for {userCount} users; host {Mb(sampler.Latest.WorkingSetBytes)} MB, " +
                $"{before.IndexedListings} listings indexed");

            var result = new Dictionary<string, object?>
            {
                ["clients"] = clientCount,
                ["users"] = userCount,
                ["rate"] = rate,
                ["seconds"] = seconds,
                ["listings"] = before.IndexedListings,
                ["brokersPerCenter"] = brokersPerCenter,
                ["membersPerOrg"] = membersPerOrganization,
            };
            if (rate == 0) await HoldAsync(clients, sampler, TimeSpan.FromSeconds(seconds));
            else
            {
                var cost = new PublishCost(costDatabase, server);
                var run = await PublishAsync(network, corpus, rate, warmup, seconds, clients, sampler, cost);
                // The load has stopped (retries included): how long until the host is idle again.
                var idle = host is null ? Task.FromResult<double?>(null) : BackToIdleAsync(host);
                result["warmupSeconds"] = warmup;
                Console.Error.WriteLine($"bench-push: all publishes answered; waiting at least {grace.TotalSeconds:F0} s for the last deliveries");
                result["graceSeconds"] = await SettleAsync(clients, grace);
                foreach (var (key, value) in await ScoreAsync(network, clients, run, args.Option("timeline"))) result[key] = value;
                result["goodputPerS"] = Math.Round((double)run.PublishHttpMs.Count / seconds, 1);
                result["cost"] = await cost.PerPublishAsync(run.Publishes.Count);
                result["backToIdleS"] = await idle;
            }
            var end = await sampler.ReadNowAsync();
            result["disconnects"] = clients.Disconnects;
            result["hostConnections"] = new { peak = sampler.PeakConnections, end = end.Connections };
            result["hostWorkingSetMb"] = new { before = Mb(before.WorkingSetBytes), peak = Mb(sampler.PeakWorkingSetBytes), end = Mb(end.WorkingSetBytes) };
            result["machine"] = Machine();
            // Whatever else ran on the machine meanwhile shows here (the host, this client and PostgreSQL share it).
            result["loadAverage"] = new { before = loadBefore, end = LoadAverage() };
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        }
        finally
        {
            if (sampler is not null) await sampler.DisposeAsync();
            if (clients is not null) await clients.DisposeAsync();
            if (host is not null) await host.DisposeAsync();
        }
    }

    /// <summary>
    /// Waits <paramref name="grace"/>, then as long as deliveries keep arriving (an overloaded host is still working
    /// off its backlog: late is not lost), at most two minutes more. Returns the seconds waited.
    /// </summary>
    static async Task<double> SettleAsync(PushClients clients, TimeSpan grace)
    {
        var clock = Stopwatch.StartNew();
        await Task.Delay(grace);
        var seen = clients.Receipts.Count;
        while (clock.Elapsed < grace + TimeSpan.FromMinutes(2))
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            if (clients.Receipts.Count == seen) break;
            seen = clients.Receipts.Count;
        }
        return Math.Round(clock.Elapsed.TotalSeconds);
    }

    static async Task HoldAsync(PushClients clients, HostSampler sampler, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(5) < duration - clock.Elapsed ? TimeSpan.FromSeconds(5) : duration - clock.Elapsed);
            var s = sampler.Latest;
            Console.Error.WriteLine($"  {clock.Elapsed.TotalSeconds,4:F0} s  host {Mb(s.WorkingSetBytes)} MB, {s.Connections} connections, {clients.Disconnects} dropped");
        }
    }

    /// <summary>One publish: the moment just before its POST, who published what to fit which demand, and whether it is timed.</summary>
    sealed record Published(string AchievementId, long StartedAt, BenchNetwork.Organization University, BenchNetwork.Demand Demand, bool Measured);

    /// <summary>What the publishing did; <paramref name="Refused"/>: the achievements whose first publish was not answered 2xx.</summary>
    sealed record Run(IReadOnlyCollection<Published> Publishes, List<double> PublishHttpMs, int Errors, int Retried, int RetriesFailed, double MaxScheduleLagMs,
        List<double> RefusalMs, IReadOnlySet<string> Refused);

    /// <summary>
    /// --brokers-per-center B: B broker accounts in every regional center, made by the national level. A center's
    /// brokers read every listing and match of their region: the audience issue 20 measures against B.
    /// </summary>
    static Task AddBrokersAsync(BenchApi api, string national, RegionDirectory regions, int perCenter) =>
        CreateAccountsAsync(api, "brokers", [.. regions.Regions.SelectMany(r => Enumerable.Range(0, perCenter).Select(i =>
            new BenchAccount($"org-center-{r.Code}", national, $"bench-broker-{r.Code}-{i:D3}", "压测经纪人", "Broker", "bench-broker-2026")))]);

    /// <summary>
    /// --members-per-org M: each bench organization filled up to M members by its admin. The connected users are its
    /// first members; the others are accounts only, the audience issue 20 measures against M.
    /// </summary>
    static Task AddMembersAsync(BenchNetwork network, int perOrganization) =>
        CreateAccountsAsync(network.Api, "members", [.. network.Organizations.SelectMany(o =>
            Enumerable.Range(o.Members.Count, Math.Max(0, perOrganization - o.Members.Count)).Select(i =>
                new BenchAccount(o.Id, o.Admin.Token, $"{o.Admin.Account[..^2]}-m{i:D3}", "压测成员", "Member", BenchNetwork.Password)))]);

    sealed record BenchAccount(string Organization, string Token, string Account, string Name, string Role, string Password);

    /// <summary>Creates the accounts, eight at a time; one made by an earlier run on this database stays as it is.</summary>
    static async Task CreateAccountsAsync(BenchApi api, string label, IReadOnlyList<BenchAccount> accounts)
    {
        var progress = new ProgressBar(label, accounts.Count);
        var done = 0;
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (a, _) =>
        {
            try
            {
                await api.SendAsync(HttpMethod.Post, $"/api/organizations/{a.Organization}/accounts", a.Token,
                    new { account = a.Account, displayName = $"{a.Name} {a.Account[^3..]}", role = a.Role, password = a.Password });
            }
            catch (ApiException e) when (e.Status == System.Net.HttpStatusCode.Conflict) { }
            progress.Report(Interlocked.Increment(ref done));
        });
        progress.Done();
    }

    /// <summary>
    /// Seconds until the host process uses less than a fifth of a core over a whole second, at most two minutes; null
    /// when it never does.
    /// </summary>
    static async Task<double?> BackToIdleAsync(BenchHost host)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var (cpu, at) = (host.CpuSeconds(), clock.Elapsed);
            await Task.Delay(TimeSpan.FromSeconds(1));
            if ((host.CpuSeconds() - cpu) / (clock.Elapsed - at).TotalSeconds < 0.2) return Math.Round(at.TotalSeconds, 1);
        }
        return null;
    }

    /// <summary>
    /// The drafts are written first, as owners write them ahead of publication (a creating wave in the timed
    /// window would measure drafting, not publishing). Then the open loop: publish i is due at i/R seconds whatever
    /// happened to the ones before (a slow server gets more concurrent requests, not fewer). The first
    /// <paramref name="warmup"/> seconds run the same way untimed: a host that has just started still compiles its hot
    /// paths (tiered JIT); their deliveries are checked like all others.
    /// </summary>
    static async Task<Run> PublishAsync(BenchNetwork network, Corpus corpus, int rate, int warmup, int seconds, PushClients clients, HostSampler sampler, PublishCost cost)
    {
        var untimed = rate * warmup;
        var total = untimed + rate * seconds;
        var universities = network.Universities.ToList();
        var demands = network.Demands;
        var drafts = new (BenchNetwork.Organization University, BenchNetwork.Demand Demand, string Id)[total];
        var drafting = new ProgressBar("drafts", total);
        var written = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var demand = demands[i % demands.Count];
            var university = universities[(i + i / demands.Count) % universities.Count];
            var body = BenchNetwork.AchievementFor(university, demand, corpus, seed: 1_000_000 + i);
            var id = (await network.Api.SendAsync(HttpMethod.Post, "/api/achievements", university.Admin.Token, body)).GetProperty("id").GetString()!;
            drafts[i] = (university, demand, id);
            drafting.Report(Interlocked.Increment(ref written));
        });
        drafting.Done();
        await Task.Delay(TimeSpan.FromSeconds(2)); // let the host settle after the drafting burst
        await cost.StartAsync();

        var published = new ConcurrentBag<Published>();
        var publishMs = new ConcurrentBag<double>();
        var refusalMs = new ConcurrentBag<double>();
        var errors = 0;
        var maxLag = 0.0;
        var inFlight = new List<Task>(total);
        var failed = new ConcurrentBag<Published>();
        var started = Stopwatch.GetTimestamp();
        var lastReport = 0L;
        for (var i = 0; i < total; i++)
        {
            var due = started + i * Stopwatch.Frequency / rate;
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            else maxLag = Math.Max(maxLag, -wait * 1000.0 / Stopwatch.Frequency);
            var (university, demand, id) = drafts[i];
            // A publish that fails on the client's side may still complete on the server, and its matches be
            // notified: it stays in the books (expected and delivered), it only does not count as published.
            var attempt = new Published(id, Stopwatch.GetTimestamp(), university, demand, Measured: i >= untimed);
            published.Add(attempt);
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    await network.Api.SendAsync(HttpMethod.Post, $"/api/achievements/{id}/publish", university.Admin.Token);
                    if (attempt.Measured) publishMs.Add(Stopwatch.GetElapsedTime(attempt.StartedAt).TotalMilliseconds);
                }
                catch (Exception e) when (e is ApiException or HttpRequestException or TaskCanceledException)
                {
                    if (e is ApiException { Status: System.Net.HttpStatusCode.ServiceUnavailable } && attempt.Measured)
                        refusalMs.Add(Stopwatch.GetElapsedTime(attempt.StartedAt).TotalMilliseconds);
                    if (Interlocked.Increment(ref errors) <= 5) Console.Error.WriteLine($"bench-push: publish failed: {e.Message}");
                    failed.Add(attempt);
                }
            }));
            var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (elapsed >= lastReport + 5)
            {
                lastReport = elapsed;
                Console.Error.WriteLine($"  {elapsed,4} s  {i + 1}/{total} publishes started, {publishMs.Count} answered, {clients.Receipts.Count} MatchFound received, " +
                    $"host {Mb(sampler.Latest.WorkingSetBytes)} MB");
            }
        }
        await Task.WhenAll(inFlight);
        // As a client would: a publish that was refused (503 after a timeout) is sent again; a retried publish completes
        // matching and notifying that did not finish, and nobody hears of a match twice.
        var retriedFailures = 0;
        foreach (var attempt in failed)
            try { await network.Api.SendAsync(HttpMethod.Post, $"/api/achievements/{attempt.AchievementId}/publish", attempt.University.Admin.Token); }
            catch (Exception e) when (e is ApiException or HttpRequestException or TaskCanceledException) { retriedFailures++; }
        return new Run(published, [.. publishMs], errors, failed.Count, retriedFailures, maxLag, [.. refusalMs.Order()],
            failed.Select(f => f.AchievementId).ToHashSet());
    }

    /// <summary>
    /// What each client was entitled to: every stored match of every published achievement, for each client of
    /// a user of either party's organization (the bench connects no brokers). Compared with what arrived.
    /// </summary>
    static async Task<Dictionary<string, object?>> ScoreAsync(BenchNetwork network, PushClients clients, Run run, string? timeline)
    {
        var clientsOf = Enumerable.Range(0, clients.UserOf.Count).GroupBy(i => clients.UserOf[i].Organization.Id)
            .ToDictionary(g => g.Key, g => g.ToArray());
        var benchDemands = network.Demands.ToDictionary(d => d.Id);
        // Latency only for the timed publishes; deliveries for all of them.
        var startedAt = run.Publishes.Where(p => p.Measured).ToDictionary(p => p.AchievementId, p => p.StartedAt);
        var expected = new HashSet<(int Client, string MatchId)>();
        var matches = 0;
        var knownMissing = 0;
        var lockObject = new Lock();
        await Parallel.ForEachAsync(run.Publishes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (p, _) =>
        {
            var stored = await network.Api.SendAsync(HttpMethod.Get, $"/api/achievements/{p.AchievementId}/matches", p.University.Admin.Token);
            lock (lockObject)
            {
                var known = ListingMatcher.MatchId(p.AchievementId, p.Demand.Id);
                if (!stored.EnumerateArray().Any(m => m.GetProperty("id").GetString() == known)) knownMissing++;
                foreach (var m in stored.EnumerateArray())
                {
                    matches++;
                    var matchId = m.GetProperty("id").GetString()!;
                    var parties = new List<string> { p.University.Id };
                    if (benchDemands.TryGetValue(m.GetProperty("demandId").GetString()!, out var demand)) parties.Add(demand.Owner.Id);
                    foreach (var client in parties.SelectMany(o => clientsOf.GetValueOrDefault(o) ?? []))
                        expected.Add((client, matchId));
                }
            }
        });

        var received = clients.Receipts.ToList();
        var firstArrival = new Dictionary<(int, string), PushClients.Receipt>();
        foreach (var r in received) firstArrival.TryAdd((r.Client, r.MatchId), r);
        var delivered = firstArrival.Keys.Count(expected.Contains);
        var arrivals = firstArrival.Values.Where(r => expected.Contains((r.Client, r.MatchId)) && startedAt.ContainsKey(r.AchievementId)).ToList();
        double Ms(PushClients.Receipt r) => (r.At - startedAt[r.AchievementId]) * 1000.0 / Stopwatch.Frequency;
        var timed = arrivals.Select(r => (StartedAt: startedAt[r.AchievementId], Ms: Ms(r))).ToList();
        var latencies = timed.Select(d => d.Ms).Order().ToList();
        // The publishes the host accepted the first time: what a user whose publish went through waits for its matches,
        // without the bench's own retries of the refused ones (sent one by one after the run).
        var accepted = arrivals.Where(r => !run.Refused.Contains(r.AchievementId)).Select(Ms).Order().ToList();
        if (timeline is not null) WriteTimeline(timeline, timed);
        return new Dictionary<string, object?>
        {
            ["published"] = run.PublishHttpMs.Count,
            ["warmupPublishes"] = run.Publishes.Count(p => !p.Measured),
            ["publishErrors"] = run.Errors,
            ["publishRetries"] = new { sent = run.Retried, failed = run.RetriesFailed },
            ["latencyMs"] = latencies.Count == 0 ? null : new { p50 = Percentiles.Of(latencies, 0.50), p99 = Percentiles.Of(latencies, 0.99), max = Math.Round(latencies[^1], 1) },
            ["acceptedLatencyMs"] = accepted.Count == 0 ? null
                : new { p50 = Percentiles.Of(accepted, 0.50), p99 = Percentiles.Of(accepted, 0.99), max = Math.Round(accepted[^1], 1) },
            ["publishHttpMs"] = run.PublishHttpMs.Count == 0 ? null
                : new { p50 = Percentiles.Of([.. run.PublishHttpMs.Order()], 0.50), p99 = Percentiles.Of([.. run.PublishHttpMs.Order()], 0.99) },
            ["refusalMs"] = run.RefusalMs.Count == 0 ? null
                : new { count = run.RefusalMs.Count, p50 = Percentiles.Of(run.RefusalMs, 0.50), p99 = Percentiles.Of(run.RefusalMs, 0.99), max = Math.Round(run.RefusalMs[^1], 1) },
            ["maxScheduleLagMs"] = Math.Round(run.MaxScheduleLagMs, 1),
            ["matches"] = matches,
            ["knownMatchMissing"] = knownMissing,
            ["expected"] = expected.Count,
            ["delivered"] = delivered,
            ["lost"] = expected.Count - delivered,
            ["duplicates"] = received.Count - firstArrival.Count,
            ["unexpected"] = firstArrival.Count - delivered, // a MatchFound at a client not entitled to it: must be 0
        };
    }

    /// <summary>
    /// --timeline FILE: latency by the second of the run its publish started in (CSV), to tell a tail spread over
    /// the run from one stall.
    /// </summary>
    static void WriteTimeline(string path, IReadOnlyList<(long StartedAt, double Ms)> all)
    {
        if (all.Count == 0) return;
        var first = all.Min(d => d.StartedAt);
        using var file = new StreamWriter(path);
        file.WriteLine("second,deliveries,p50Ms,p99Ms,maxMs");
        foreach (var second in all.GroupBy(d => (d.StartedAt - first) / Stopwatch.Frequency).OrderBy(g => g.Key))
        {
            var ms = second.Select(d => d.Ms).Order().ToList();
            file.WriteLine($"{second.Key},{ms.Count},{Percentiles.Of(ms, 0.50)},{Percentiles.Of(ms, 0.99)},{Math.Round(ms[^1], 1)}");
        }
    }

    static long Mb(long bytes) => bytes / (1024 * 1024);

    static string? LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

    static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} vCPU {cpu ?? "?"}, {memory:F0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
