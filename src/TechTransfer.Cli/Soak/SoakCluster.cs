using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.PushBench;

namespace TechTransfer.Soak;

/// <summary>
/// Three TechTransfer.Server processes forming one Orleans cluster on the soak's PostgreSQL, each on its own ports
/// (HTTP 5390–5392, silo 11390–11392, gateway 30390–30392: clear of scripts/start, bench-push and the tests).
/// Rate limits are lifted (by BenchHost): the soak is one client sending what many would. With
/// <paramref name="partitions"/> above one, the search index is split and each host holds two partitions in turn
/// (host i: those whose number modulo the hosts is i or i + 1), so every partition has two holders and any one host
/// may die (docs/matching.md, "Partitions").
/// </summary>
public sealed class SoakCluster(string connectionString, int firstPort, int size, int partitions = 1) : IAsyncDisposable
{
    readonly BenchHost?[] hosts = new BenchHost?[size];

    public IReadOnlyList<Uri> Urls { get; } = [.. Enumerable.Range(0, size).Select(i => new Uri($"http://127.0.0.1:{firstPort + i}"))];

    public int Size => size;

    /// <summary>Host starts that failed and were tried again.</summary>
    public int Restarts { get; private set; }

    /// <summary>Each host takes its share of the soak's PostgreSQL (Database/ConnectionBudget.cs).</summary>
    readonly Dictionary<string, string> environment = new() { ["TechTransfer__Database__Hosts"] = size.ToString() };

    /// <summary>
    /// Starts host <paramref name="i"/> and waits until it is ready: at the first start until a demo account signs in,
    /// at a <paramref name="restart"/> until its readiness probe says so (what a load balancer waits for).
    /// <paramref name="hostDll"/> runs another build than the soak's own: the previous release.
    /// </summary>
    public async Task StartAsync(int i, bool build = false, bool restart = false, string? hostDll = null)
    {
        // On a saturated machine a host may give up during start-up (PostgreSQL too slow to answer): an operator
        // starts it again, and so does the soak, twice at most.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                hosts[i] = await BenchHost.StartAsync(connectionString, build && attempt == 1, TimeSpan.FromMinutes(5), firstPort + i,
                    clusterId: "techtransfer-soak", environment: EnvironmentOf(i), logName: "soak-host", signIn: !restart, hostDll: hostDll);
                return;
            }
            catch (Commands.CommandException e) when (attempt < 3)
            {
                Console.Error.WriteLine($"soak: host {i + 1} did not start ({e.Message}); starting it again");
                Restarts++;
            }
        }
    }

    /// <summary>
    /// Each host keeps its search index in files of its own, as in production: a host killed or restarted by the soak
    /// resumes from them and the feed (docs/matching.md, "Memory or files").
    /// </summary>
    Dictionary<string, string> EnvironmentOf(int i)
    {
        var of = new Dictionary<string, string>(environment)
        {
            ["TechTransfer__Matching__IndexPath"] = Path.Combine(BenchHost.RepositoryRoot(), ".data", "soak-index", $"host-{i + 1}"),
        };
        if (partitions == 1) return of;
        of["TechTransfer__Matching__Partitions"] = partitions.ToString();
        of["TechTransfer__Matching__HeldPartitions"] = string.Join(',',
            Enumerable.Range(0, partitions).Where(p => p % size == i || p % size == (i + 1) % size));
        return of;
    }

    public async Task RestartAllAsync() => await Task.WhenAll(Enumerable.Range(0, size).Select(i => StartAsync(i, restart: true)));

    /// <summary>kill -9: the process is gone at once, its silo still listed as active until the others vote it dead.</summary>
    public async Task KillAsync(int i)
    {
        if (hosts[i] is { } host) await host.KillAsync();
    }

    /// <summary>One host stopped as an operator stops it (SIGTERM, then kill after 20 s).</summary>
    public async Task StopAsync(int i)
    {
        if (hosts[i] is { } host) await host.DisposeAsync();
        hosts[i] = null;
    }

    /// <summary>Every host stopped as an operator stops them (SIGTERM, then kill after 20 s).</summary>
    public async Task StopAllAsync()
    {
        await Task.WhenAll(hosts.Where(h => h is not null).Select(h => h!.DisposeAsync().AsTask()));
        Array.Clear(hosts);
    }

    public int? ProcessId(int i) => hosts[i] is { HasExited: false } h ? h.ProcessId : null;

    /// <summary>Seconds from each host's process start until it was ready (<see cref="BenchHost.ReadyAfterS"/>).</summary>
    public double[] ReadyAfterS() => [.. hosts.Select(h => Math.Round(h?.ReadyAfterS ?? double.NaN, 1))];

    /// <summary>Waits until every running host reports <paramref name="silos"/> active silos; returns the seconds it took.</summary>
    public async Task<double> WaitForSilosAsync(int silos, TimeSpan within)
    {
        using var http = OperatorToken.Client(null, TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            var agreed = 0;
            var running = Enumerable.Range(0, size).Where(i => ProcessId(i) is not null).ToList();
            foreach (var url in running.Select(i => Urls[i]))
            {
                try
                {
                    var health = await http.GetFromJsonAsync<JsonElement>(new Uri(url, "/health"));
                    if (health.GetProperty("activeSilos").GetInt32() == silos) agreed++;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
                {
                }
            }
            if (agreed == running.Count) return clock.Elapsed.TotalSeconds;
            await Task.Delay(250);
        }
        return double.NaN;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync();
    }
}
