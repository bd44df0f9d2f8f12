using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using TechTransfer.Commands;

namespace TechTransfer.PushBench;

/// <summary>
/// A host of its own for the benchmark: the Release build of TechTransfer.Server as a child process in local
/// demo mode (demo accounts, no demo listings) on its own database and ports, so it neither touches nor collides
/// with a network started by scripts/start. Stopped (SIGTERM, then kill) when disposed.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    /// <summary>The default HTTP port; the silo listens on it + 6000 (11190), the gateway on it + 25000 (30190).</summary>
    public const int HttpPort = 5190;

    readonly Process process;
    readonly StreamWriter log;

    BenchHost(Process process, StreamWriter log, string logPath, Uri url)
    {
        this.process = process;
        this.log = log;
        LogPath = logPath;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The host's console output: .data/logs/bench-host-PORT.log.</summary>
    public string LogPath { get; }

    /// <summary>The directory holding TechTransfer.sln (the CLI runs from the repository, as `dotnet run --project` does).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TechTransfer.sln"))) return dir.FullName;
        throw new CommandException("run bench-push from inside the repository (no TechTransfer.sln above the current directory)");
    }

    /// <summary>The connection string with the benchmark's own database name.</summary>
    public static string BenchDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    /// <summary>
    /// The common start of a benchmark: target --server, or migrate the bench database (--database, default
    /// <paramref name="defaultDatabase"/>) and start a host of its own on --port. Dispose the host (when there is one) at the end.
    /// </summary>
    public static async Task<(Uri Server, BenchHost? Host)> StartOrTargetAsync(CommandLine args, string defaultDatabase)
    {
        if (args.Option("server") is { } url) return (new Uri(url), null);
        var database = BenchDatabase(args.Required("connection", "ConnectionStrings__techtransfer"), args.Option("database") ?? defaultDatabase);
        await Database.Migrator.MigrateAsync(database);
        var host = await StartAsync(database, build: !args.Flag("no-build"), readyWithin: TimeSpan.FromMinutes(5), httpPort: args.Int("port", HttpPort));
        return (host.Url, host);
    }

    /// <summary>
    /// Starts the host; <paramref name="clusterId"/> and <paramref name="environment"/> let several hosts form one
    /// cluster (the soak), each still on its own ports (silo = HTTP + 6000, gateway = HTTP + 25000);
    /// <paramref name="hostDll"/> runs another build (the soak's previous release).
    /// </summary>
    public static async Task<BenchHost> StartAsync(string connectionString, bool build, TimeSpan readyWithin, int httpPort = HttpPort,
        string clusterId = "techtransfer-bench", IReadOnlyDictionary<string, string>? environment = null, string logName = "bench-host",
        bool signIn = true, string? hostDll = null)
    {
        var root = RepositoryRoot();
        var project = Path.Combine(root, "src", "TechTransfer.Server");
        // scripts/soak runs the host as the image does (published ReadyToRun); otherwise the Release build.
        var published = hostDll ?? Environment.GetEnvironmentVariable(HostVariable);
        if (build && published is null)
        {
            Console.Error.WriteLine("bench-push: building the host (Release)…");
            using var builder = Process.Start(new ProcessStartInfo("dotnet",
                ["build", Path.Combine(project, "TechTransfer.Server.csproj"), "-c", "Release", "-v", "quiet", "-nologo", "-clp:ErrorsOnly"])
            { RedirectStandardOutput = true })!;
            var output = await builder.StandardOutput.ReadToEndAsync();
            await builder.WaitForExitAsync();
            if (builder.ExitCode != 0) throw new CommandException("building the host failed:\n" + output);
        }
        var dll = published ?? Path.Combine(project, "bin", "Release", "net10.0", "TechTransfer.Server.dll");
        if (!File.Exists(dll)) throw new CommandException($"no host build at {dll} (drop --no-build)");
        if (await AnswersAsync(new Uri($"http://127.0.0.1:{httpPort}/health/live")))
            throw new CommandException($"port {httpPort} is taken: a bench host is still running? (or pass --port N or --server URL)");

        var url = new Uri($"http://127.0.0.1:{httpPort}");
        var start = new ProcessStartInfo("dotnet", [dll, "--contentRoot", project, "--mode", "local"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        start.Environment["ConnectionStrings__techtransfer"] = connectionString;
        start.Environment["TechTransfer__DemoListings"] = "false";
        start.Environment["TechTransfer__Urls"] = url.ToString().TrimEnd('/');
        start.Environment["Orleans__ClusterId"] = clusterId;
        start.Environment["Orleans__Endpoints__SiloPort"] = (httpPort + 6000).ToString();
        start.Environment["Orleans__Endpoints__GatewayPort"] = (httpPort + 25000).ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // When each host started and began to stop, and its silo's steps: what a slow restart is read from.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__LogLevel__Orleans.Runtime.Silo"] = "Information";
        start.Environment["Logging__LogLevel__TechTransfer.Matching.IndexReplica"] = "Information";
        start.Environment["Logging__LogLevel__Orleans.Runtime.MembershipService"] = "Information";
        start.Environment[OperatorToken.EnvironmentVariable] = OperatorToken.Value;
        // Thousands of clients share the loopback address: the per-IP limit would refuse them.
        start.Environment["TechTransfer__RateLimits__PerIpPermitsPerMinute"] = "100000000";
        start.Environment["TechTransfer__RateLimits__AnonymousPermitsPerMinute"] = "100000000";
        start.Environment["TechTransfer__RateLimits__PermitsPerMinute"] = "100000000";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var logPath = Path.Combine(root, ".data", "logs", $"{logName}-{httpPort}.log");
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        // A restarted host appends: the log of a soak keeps every life of each host.
        var log = new StreamWriter(logPath, append: logName != "bench-host") { AutoFlush = true };
        var process = Process.Start(start) ?? throw new CommandException("could not start the host");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new BenchHost(process, log, logPath, url);
        Console.Error.WriteLine($"{logName}: host pid {process.Id} on {url} (log: {logPath}); waiting for its search replica…");
        try
        {
            await host.WaitUntilReadyAsync(readyWithin, signIn);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    /// <summary>
    /// Ready: the replica has loaded every published listing and, with <paramref name="signIn"/>, a demo account signs in
    /// (the first start seeds them). Without it, ready is what a load balancer asks: <c>/health/ready</c> answers 200
    /// (silo active, replica loaded, database reachable), as after a restart, when the accounts are there.
    /// </summary>
    async Task WaitUntilReadyAsync(TimeSpan within, bool signIn)
    {
        using var http = OperatorToken.Client(Url, TimeSpan.FromSeconds(5));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            if (process.HasExited) throw new CommandException($"the host exited with code {process.ExitCode}; see {LogPath}");
            try
            {
                if (signIn ? await SignsInAsync(http) : (await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    ReadyAfterS = deadline.Elapsed.TotalSeconds;
                    lock (log) log.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss.fff} bench: ready {ReadyAfterS:F1} s after its start, {CpuSeconds():F1} s of CPU");
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
            }
            await Task.Delay(200);
        }
        throw new CommandException($"the host was not ready within {within.TotalSeconds:F0} s; see {LogPath}");
    }

    static async Task<bool> SignsInAsync(HttpClient http)
    {
        var health = await http.GetFromJsonAsync<JsonElement>("/health");
        var login = await http.PostAsJsonAsync("/api/auth/login", new { account = "demo-broker-beibu-gulf", password = Demo.Password });
        return health.GetProperty("searchReady").GetBoolean() && login.IsSuccessStatusCode;
    }

    /// <summary>CPU the process has used so far (user + system), from /proc; NaN elsewhere.</summary>
    public double CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    static async Task<bool> AnswersAsync(Uri url)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await http.GetAsync(url);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Names a published host to run instead of the Release build (scripts/soak sets it).</summary>
    public const string HostVariable = "TECHTRANSFER_HOST_DLL";

    public int ProcessId => process.Id;

    /// <summary>Seconds from the process's start until it was ready (<see cref="WaitUntilReadyAsync"/>).</summary>
    public double ReadyAfterS { get; private set; }

    public bool HasExited => process.HasExited;

    /// <summary>A crash: SIGKILL, no goodbye to the cluster (its membership entry stays until the others vote it dead).</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // A graceful stop lets the silo leave the membership table; a kill only if it hangs.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString()])) await term.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        process.Dispose();
        lock (log) log.Dispose();
    }
}

/// <summary>The well-known password of local demo mode (src/TechTransfer.Server/Demo/DemoSeeder.cs).</summary>
static class Demo
{
    public const string Password = "TechTransfer#2026";
    public const string NationalAdmin = "demo-national";
}
