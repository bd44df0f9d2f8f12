using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Database;
using TechTransfer.PushBench;
using TechTransfer.Soak;

namespace TechTransfer.Commands;

/// <summary>
/// techtransfer soak: faults under load. Starts its own PostgreSQL (port 55432) and a 3-silo cluster on it, signs
/// in SignalR clients for the bench organizations, and writes R times a second (create, edit, publish of
/// achievements and demands) for S seconds while it injects, in order: kill -9 of one silo, its restart, a
/// PostgreSQL restart, a restart of the whole cluster. Then it checks that nothing acknowledged is lost, that
/// every acknowledged publish is searchable and its matches were pushed. Progress on stderr; one JSON object on
/// the last line of stdout; exit code 1 when an acknowledged write is lost or unsearchable, a match of two
/// acknowledged publishes was not pushed, or a host's /metrics lacks its grain activations or the network's meters.
/// With --previous-build DLL the cluster starts on that build (the previous release, scripts/soak) and, before the
/// faults, is upgraded host by host to this one under the load: old and new builds serve one cluster side by side.
/// </summary>
public static class SoakCommand
{
    public static async Task<int> RunAsync(CommandLine args)
    {
        var rate = args.Int("rate", 200);
        var seconds = args.Option("minutes") is { } minutes ? (int)(double.Parse(minutes, System.Globalization.CultureInfo.InvariantCulture) * 60)
            : args.Int("seconds", 600);
        var pgDown = TimeSpan.FromSeconds(args.Int("pg-down", 5));
        // Issue 17 item 16: a restarted cluster is ready within 15 s of its hosts starting (restartCluster.readyAfterStartS);
        // the soak fails when it is not.
        var restartWithin = double.Parse(args.Option("restart-within") ?? "15", System.Globalization.CultureInfo.InvariantCulture);
        if (rate < 1 || seconds < 30) throw new CommandException("need --rate ≥ 1 and at least 30 seconds of load");
        var loadBefore = LoadAverage();
        var root = BenchHost.RepositoryRoot();
        var corpus = Corpus.Load(root);

        Log($"own PostgreSQL on port {args.Int("pg-port", 55432)}…");
        await using var pg = await SoakPostgres.CreateAsync(args.Int("pg-port", 55432));
        await Migrator.MigrateAsync(pg.ConnectionString);
        var partitions = args.Int("partitions", 1);
        await using var cluster = new SoakCluster(pg.ConnectionString, args.Int("port", 5390), 3, partitions);
        Log("starting 3 silos…");
        var clock = Stopwatch.StartNew();
        var previous = args.Option("previous-build");
        if (previous is not null && !File.Exists(previous)) throw new CommandException($"no previous build at {previous}");
        // A new partition layout is a rebuild of every index, not a rolling upgrade.
        if (previous is not null && partitions > 1) throw new CommandException("--partitions runs without --previous-build");
        await cluster.StartAsync(0, build: !args.Flag("no-build"), hostDll: previous);
        await Task.WhenAll(cluster.StartAsync(1, hostDll: previous), cluster.StartAsync(2, hostDll: previous));
        await cluster.WaitForSilosAsync(3, TimeSpan.FromMinutes(2));
        Log($"cluster up in {clock.Elapsed.TotalSeconds:F0} s");

        using var setupHttp = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = cluster.Urls[0], Timeout = TimeSpan.FromMinutes(1) };
        var network = await BenchNetwork.PrepareAsync(setupHttp, Demo.NationalAdmin, Demo.Password, args.Int("users", 40), withDemands: true, corpus);
        await using var clients = await SoakClients.ConnectAsync(cluster.Urls, network);
        Log($"{clients.All.Count} SignalR clients connected for {network.Organizations.Count} organizations");
        var samplers = new List<HostSampler>();
        foreach (var url in cluster.Urls) samplers.Add(await HostSampler.StartAsync(url));

        var load = new SoakLoad(cluster.Urls, network, corpus);
        var faults = new Dictionary<string, object?>();
        load.Start();
        // The load runs S seconds, and longer if the faults took longer: the last phase always sees steady load again.
        using var stop = new CancellationTokenSource();
        var loadTask = load.RunAsync(rate, stop.Token, second =>
        {
            if (second % 10 == 0) Log($"{second,4} s  {load.Writes} writes, {load.Tried} requests, {load.Listings.Count(l => l.Acknowledged == 3)} published, " +
                $"{clients.Received} MatchFound, {load.GaveUp} given up, {load.Skipped} skipped");
        });
        if (previous is not null) await UpgradeAsync(load, cluster, args.Option("previous-revision") ?? previous, faults);
        await InjectFaultsAsync(load, cluster, pg, seconds, pgDown, faults);
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(seconds - load.Now, 0.15 * seconds)));
        var steadyTail = load.Now;
        await stop.CancelAsync();
        await loadTask;
        var loadSeconds = steadyTail;
        Log($"load done after {loadSeconds:F0} s; waiting for the last pushes");
        var outstanding = await SettleAsync(clients, pg.ConnectionString);
        Log("verifying…");
        var verified = await SoakVerifier.VerifyAsync(load, clients, network, cluster.Size);
        foreach (var sampler in samplers) await sampler.DisposeAsync();
        var meters = await ScrapeMetersAsync(cluster.Urls);

        var attempts = load.Attempts.ToList();
        var result = new Dictionary<string, object?>
        {
            ["rate"] = rate,
            ["partitions"] = partitions,
            ["seconds"] = Math.Round(loadSeconds),
            ["writes"] = load.Writes,
            ["writesSkipped"] = load.Skipped,
            ["achievedWritesPerSecond"] = Math.Round(attempts.Count(a => a.Status is >= 200 and < 300) / loadSeconds, 1),
            ["requestsTried"] = load.Tried,
            ["acknowledged"] = attempts.Count(a => a.Status is >= 200 and < 300),
            ["givenUp"] = load.GaveUp,
            ["editsResolvedByRead"] = load.EditsResolvedByRead,
            ["failedByStatus"] = attempts.Where(a => a.Status is < 200 or >= 300).GroupBy(a => a.Status switch { 0 => "refused", -1 => "timeout", _ => a.Status.ToString() })
                .OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            ["writeMs"] = Spread([.. attempts.Where(a => a.Status is >= 200 and < 300).Select(a => a.Ms)]),
            ["faults"] = faults,
            ["restartWithinS"] = restartWithin, // the bound restartCluster.readyAfterStartS is held to
            ["listingsAcknowledged"] = verified.Checked,
            ["publishesAcknowledged"] = verified.Published,
            ["lostWrites"] = verified.Lost.Count,
            ["missingFromSearch"] = verified.MissingFromSearch.Count,
            ["matches"] = new { stored = verified.MatchesStored, expected = verified.Expected, pushed = verified.Pushed, missing = verified.Expected - verified.Pushed,
                missingWithBothPublishesAcknowledged = verified.MissingBothAcknowledged, outstandingAnnouncements = outstanding },
            ["meters"] = meters,
            ["clientReconnects"] = clients.Reconnects,
            ["hostStartsRetried"] = cluster.Restarts,
            ["hostPeakWorkingSetMb"] = samplers.Select(s => s.PeakWorkingSetBytes / (1024 * 1024)).ToArray(),
            ["machine"] = $"{Environment.ProcessorCount} vCPU, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):F0} GiB",
            ["loadAverage"] = new { before = loadBefore, end = LoadAverage() },
        };
        foreach (var line in verified.Lost.Take(20)) Log("LOST " + line);
        foreach (var line in verified.MissingFromSearch.Take(10)) Log("not searchable: " + line);
        foreach (var line in verified.MissingPushes.Take(10)) Log("not pushed: " + line);
        Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        // The guarantees: nothing acknowledged lost, all of it searchable, and every match of two acknowledged publishes
        // pushed to every connected client of both parties (a failed announcement is retried by the match outbox).
        // Observability: each host exports its grain activations, and the network's own meters moved under the load.
        var metersOk = meters.Values.All(m => m["orleans_catalog_activations"] > 0)
            && ObservedMeters.Where(m => m != "orleans_catalog_activations").All(m => meters.Values.Sum(h => h[m]) > 0);
        if (!metersOk) Log("a meter is missing from /metrics: " + JsonSerializer.Serialize(meters));
        var restartReady = faults["restartCluster"] is RestartFigures restart ? restart.ReadyAfterStartS : double.NaN;
        var restartOk = restartReady <= restartWithin;
        if (!restartOk) Log($"the restarted cluster was ready only {restartReady:F1} s after its hosts started (--restart-within {restartWithin})");
        var upgradeOk = faults.GetValueOrDefault("rollingUpgrade") is not UpgradeFigures upgrade || upgrade.Hosts.All(h => !double.IsNaN(h.AllSilosActiveS));
        if (!upgradeOk) Log("a host of this build did not join the cluster of the previous release");
        return verified.Lost.Count == 0 && verified.MissingFromSearch.Count == 0 && verified.MissingBothAcknowledged == 0 && metersOk && restartOk
            && upgradeOk ? 0 : 1;
    }

    /// <summary>
    /// A rolling upgrade under the load, as an operator does it: each host of the previous release in turn is stopped
    /// (SIGTERM: it hands its grains over), started on this build, and waited for until it is ready and the cluster
    /// counts all its silos again. Meanwhile old and new hosts serve the same clients, grains and PostgreSQL.
    /// </summary>
    static async Task UpgradeAsync(SoakLoad load, SoakCluster cluster, string from, Dictionary<string, object?> faults)
    {
        var at = load.Now;
        Log($"UPGRADE the hosts one by one from the previous release ({from}) to this build");
        var hosts = new List<UpgradedHost>();
        for (var i = 0; i < cluster.Size; i++)
        {
            var stopAt = load.Now;
            await cluster.StopAsync(i);
            var startAt = load.Now;
            await cluster.StartAsync(i, restart: true);
            var readyAt = load.Now;
            var joined = await cluster.WaitForSilosAsync(cluster.Size, TimeSpan.FromMinutes(2));
            hosts.Add(new UpgradedHost(Math.Round(startAt - stopAt, 1), Math.Round(readyAt - startAt, 1), Math.Round(readyAt - startAt + joined, 1)));
            Log($"host {i + 1} runs this build ({load.Now - stopAt:F1} s)");
        }
        var done = load.Now;
        var during = load.Attempts.Where(a => a.At >= at && a.At <= done).ToList();
        faults["rollingUpgrade"] = new UpgradeFigures(from, Math.Round(at, 1), Math.Round(done - at, 1), hosts, during.Count,
            during.GroupBy(a => a.Status switch { 0 => "refused", -1 => "timeout", _ => a.Status.ToString() }).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            Spread([.. during.Where(a => a.Status is >= 200 and < 300).Select(a => a.Ms)]),
            during.Count == 0 ? 0 : Math.Round(during.Max(a => a.Ms), 1));
    }

    /// <param name="StopS">From SIGTERM until the old host's process ended.</param>
    /// <param name="ReadyS">From the new host's start until its readiness probe answered 200.</param>
    /// <param name="AllSilosActiveS">From the new host's start until every host counted all silos active (NaN: never).</param>
    sealed record UpgradedHost(double StopS, double ReadyS, double AllSilosActiveS);

    /// <param name="Answers">Every attempt while hosts were replaced, by status (2xx acknowledged; 503 a stopping host's refusal, retried).</param>
    /// <param name="AcknowledgedMs">How long the acknowledged writes took.</param>
    /// <param name="LongestAttemptMs">The longest any attempt waited for its answer, whatever the answer.</param>
    sealed record UpgradeFigures(string From, double At, double TookS, List<UpgradedHost> Hosts, int Attempts, Dictionary<string, int> Answers,
        object? AcknowledgedMs, double LongestAttemptMs);

    /// <summary>
    /// The fault schedule, as fractions of the load: kill -9 silo 3 at 20 %, restart it at 35 %, PostgreSQL down
    /// for <paramref name="pgDown"/> at 50 %, all three silos stopped and started at 70 %.
    /// </summary>
    static async Task InjectFaultsAsync(SoakLoad load, SoakCluster cluster, SoakPostgres pg, int seconds, TimeSpan pgDown, Dictionary<string, object?> faults)
    {
        async Task At(double fraction)
        {
            var wait = fraction * seconds - load.Now;
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait));
        }

        await At(0.20);
        var killedAt = load.Now;
        Log($"FAULT kill -9 silo 3 (pid {cluster.ProcessId(2)})");
        await cluster.KillAsync(2);
        var declaredDead = await cluster.WaitForSilosAsync(2, TimeSpan.FromMinutes(2));
        Log($"the others count 2 active silos after {declaredDead:F1} s");

        await At(0.35);
        var restartAt = load.Now;
        Log("FAULT restart silo 3");
        await cluster.StartAsync(2, restart: true);
        var rejoined = await cluster.WaitForSilosAsync(3, TimeSpan.FromMinutes(2));
        var restartedIn = load.Now - restartAt;
        faults["killSilo"] = new
        {
            at = Math.Round(killedAt, 1),
            declaredDeadS = Math.Round(declaredDead, 1),
            failedAttemptsOnSurvivors = load.Attempts.Count(a => a.At >= killedAt && a.At < restartAt && a.Host != 2 && a.Status is < 200 or >= 300),
            lastFailureOnSurvivorsAfterS = LastFailure(load, killedAt, restartAt, host => host != 2),
            restartedReadyS = Math.Round(restartedIn, 1),
            rejoinedS = Math.Round(rejoined, 1),
        };

        await At(0.50);
        var stoppedAt = load.Now;
        Log("FAULT PostgreSQL stop");
        await pg.StopAsync();
        await Task.Delay(pgDown);
        await pg.StartAsync();
        var upAt = load.Now;
        Log($"PostgreSQL up again after {upAt - stoppedAt:F1} s");
        var ready = await ReadyAfterAsync(load, cluster);
        var firstOk = Enumerable.Range(0, cluster.Size).Select(h => load.Attempts.Where(a => a.Host == h && a.At >= upAt && a.Status is >= 200 and < 300)
            .Select(a => (double?)Math.Round(a.At - upAt, 1)).Min()).ToArray();
        var during = load.Attempts.Where(a => a.At >= stoppedAt && a.At <= upAt).ToList();
        faults["restartPostgres"] = new
        {
            at = Math.Round(stoppedAt, 1),
            downS = Math.Round(upAt - stoppedAt, 1),
            attemptsWhileDown = during.Count,
            answersWhileDown = during.GroupBy(a => a.Status switch { 0 => "refused", -1 => "timeout", _ => a.Status.ToString() }).ToDictionary(g => g.Key, g => g.Count()),
            failFast503Ms = Spread([.. during.Where(a => a.Status == 503).Select(a => a.Ms)]),
            readyAfterS = ready,
            firstWriteOkAfterS = firstOk,
        };

        await At(0.70);
        var stopAllAt = load.Now;
        Log("FAULT restart the whole cluster");
        await cluster.StopAllAsync();
        var stoppedAllIn = load.Now - stopAllAt;
        var startedAt = load.Now;
        await cluster.RestartAllAsync();
        await cluster.WaitForSilosAsync(3, TimeSpan.FromMinutes(2));
        var backAt = load.Now;
        // The writes held back meanwhile arrive at once: when did each host acknowledge one again?
        await Task.Delay(TimeSpan.FromSeconds(10));
        var firstWriteOk = Enumerable.Range(0, cluster.Size).Select(h => load.Attempts
            .Where(a => a.Host == h && a.At >= startedAt && a.Status is >= 200 and < 300)
            .Select(a => (double?)Math.Round(a.At - startedAt, 1)).Min()).ToArray(); // At: when answered
        faults["restartCluster"] = new RestartFigures(
            Math.Round(stopAllAt, 1), Math.Round(stoppedAllIn, 1), Math.Round(backAt - stopAllAt, 1),
            Math.Round(backAt - startedAt, 1), cluster.ReadyAfterS(), firstWriteOk, load.Attempts.Count(a => a.At >= stopAllAt && a.At <= backAt));
        Log($"cluster back after {backAt - stopAllAt:F1} s");
    }

    /// <param name="ReadyAfterStartS">From the hosts' start to every host ready and counting every silo active.</param>
    /// <param name="HostsReadyS">Each host, from its process start until its readiness probe answered 200.</param>
    /// <param name="FirstWriteOkAfterS">Each host, from the hosts' start until it acknowledged a write.</param>
    sealed record RestartFigures(double At, double StopS, double DownS, double ReadyAfterStartS, double[] HostsReadyS, double?[] FirstWriteOkAfterS,
        int AttemptsWhileDown);

    static readonly string[] ObservedMeters =
    [
        "orleans_catalog_activations", "techtransfer_listings_published_total", "techtransfer_matches_found_total",
        "techtransfer_push_latency_milliseconds_count", "techtransfer_index_lag_milliseconds_count",
    ];

    /// <summary>Each host's /metrics as Prometheus scrapes it: per meter, the sum over its series (0 when absent).</summary>
    static async Task<Dictionary<string, Dictionary<string, double>>> ScrapeMetersAsync(IReadOnlyList<Uri> hosts)
    {
        using var http = PushBench.OperatorToken.Client(null, TimeSpan.FromSeconds(10));
        var result = new Dictionary<string, Dictionary<string, double>>();
        foreach (var host in hosts)
        {
            var scrape = await http.GetStringAsync(new Uri(host, "/metrics"));
            result[host.ToString()] = ObservedMeters.ToDictionary(m => m, m => System.Text.RegularExpressions.Regex
                .Matches(scrape, $@"^{m}(?:\{{[^}}]*\}})? (\S+)", System.Text.RegularExpressions.RegexOptions.Multiline)
                .Sum(x => double.Parse(x.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        }
        return result;
    }

    /// <summary>Seconds from fault to the last failed attempt on the chosen hosts before <paramref name="until"/>.</summary>
    static double? LastFailure(SoakLoad load, double from, double until, Func<int, bool> host)
    {
        var last = load.Attempts.Where(a => a.At >= from && a.At < until && host(a.Host) && a.Status is < 200 or >= 300).Select(a => (double?)a.At).Max();
        return last is { } t ? Math.Round(t - from, 1) : null;
    }

    /// <summary>Per host, the seconds from now until /health/ready answers 200 (the hosts recover by themselves, nobody restarts them).</summary>
    static async Task<double?[]> ReadyAfterAsync(SoakLoad load, SoakCluster cluster)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(3) };
        var from = load.Now;
        return await Task.WhenAll(cluster.Urls.Select(async url =>
        {
            while (load.Now - from < 120)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(url, "/health/ready"));
                    if (response.IsSuccessStatusCode) return (double?)Math.Round(load.Now - from, 2);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                await Task.Delay(100);
            }
            return null;
        }));
    }

    /// <summary>
    /// Waits until no stored match is still to be announced (the outbox retries a failed announcement after
    /// TechTransfer:Matching:AnnounceRetryAfter, 30 s) and the clients have received nothing new for 5 s; at most
    /// 3 minutes. Returns how many announcements are still outstanding (−1: PostgreSQL never let the observer in).
    /// </summary>
    static async Task<long> SettleAsync(SoakClients clients, string connectionString)
    {
        await using var db = Npgsql.NpgsqlDataSource.Create(connectionString);
        var clock = Stopwatch.StartNew();
        var seen = -1;
        long outstanding = -1;
        while (true)
        {
            try
            {
                await using var count = db.CreateCommand("SELECT count(*) FROM tt_match WHERE announce_due IS NOT NULL");
                outstanding = (long)(await count.ExecuteScalarAsync())!;
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.TooManyConnections)
            {
                // The observer, not the network, is refused: the three hosts' pools hold every connection the soak's
                // PostgreSQL allows (the connection budget is issue 17's); look again in a moment.
                Log("settle: PostgreSQL has no connection for the observer (53300); trying again");
                outstanding = -1;
            }
            if ((outstanding == 0 && clients.Received == seen) || clock.Elapsed > TimeSpan.FromMinutes(3)) return outstanding;
            seen = clients.Received;
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
    }

    static object? Spread(List<double> ms)
    {
        if (ms.Count == 0) return null;
        ms.Sort();
        return new { count = ms.Count, p50 = Percentiles.Of(ms, 0.50), p99 = Percentiles.Of(ms, 0.99), max = Math.Round(ms[^1], 1) };
    }

    static void Log(string line) => Console.Error.WriteLine($"soak: {line}");

    static string? LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
}
