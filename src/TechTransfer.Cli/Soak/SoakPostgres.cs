using System.Diagnostics;
using Npgsql;
using TechTransfer.Commands;

namespace TechTransfer.Soak;

/// <summary>
/// A PostgreSQL of the soak's own: a fresh data directory under /tmp and its own port, so stopping and starting
/// it mid-load disturbs nobody else's tests (the machine's service is never touched). As root the server runs as
/// the postgres OS user (PostgreSQL refuses to run as root). Trust authentication, but only on 127.0.0.1 and a
/// private socket directory: a throwaway instance holding generated data.
/// </summary>
public sealed class SoakPostgres : IAsyncDisposable
{
    readonly string bin;
    readonly string directory;
    readonly int port;
    readonly bool asRoot = Environment.UserName == "root";

    SoakPostgres(string bin, string directory, int port)
    {
        this.bin = bin;
        this.directory = directory;
        this.port = port;
    }

    string DataDirectory => Path.Combine(directory, "data");

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = port, Database = "techtransfer_soak", Username = "techtransfer",
    }.ConnectionString;

    public static async Task<SoakPostgres> CreateAsync(int port)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => d).LastOrDefault()
            : null;
        if (bin is null) throw new CommandException("no PostgreSQL binaries under /usr/lib/postgresql (install postgresql)");
        var pg = new SoakPostgres(bin, Path.Combine(Path.GetTempPath(), $"techtransfer-soak-{port}"), port);
        // A soak that died before its cleanup may have left its server running: stop it, then start over clean.
        if (Directory.Exists(pg.DataDirectory)) await pg.RunAsync("pg_ctl", "-D", pg.DataDirectory, "-m", "immediate", "-w", "stop").ContinueWith(_ => { });
        if (Directory.Exists(pg.directory)) Directory.Delete(pg.directory, recursive: true);
        Directory.CreateDirectory(pg.directory);
        if (pg.asRoot) await Run("chown", "postgres:postgres", pg.directory);
        await pg.RunAsync("initdb", "-D", pg.DataDirectory, "-U", "techtransfer", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        await pg.StartAsync();
        return pg;
    }

    public Task StartAsync() => RunAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(directory, "postgres.log"), "-w", "-o",
        $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on", "start");

    /// <summary>A fast shutdown: every session is cut off, as in a failover or a restart for maintenance.</summary>
    public Task StopAsync() => RunAsync("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "stop");

    async Task RunAsync(string tool, params string[] args)
    {
        var path = Path.Combine(bin, tool);
        if (asRoot) await Run("runuser", ["-u", "postgres", "--", path, .. args]);
        else await Run(path, args);
    }

    static async Task Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new CommandException($"could not run {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new CommandException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
    }

    public async ValueTask DisposeAsync()
    {
        try { await RunAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop"); }
        catch (CommandException) { } // already stopped
    }
}
