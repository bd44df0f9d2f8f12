using Npgsql;
using Orleans.Runtime;
using TechTransfer.Matching;
using TechTransfer.Network;

namespace TechTransfer.Health;

public static class HealthEndpoints
{
    /// <summary>WorkingSetBytes and Connections (SignalR connections on this host) are for operators and bench-push.</summary>
    public sealed record HealthReport(string Status, bool Live, bool Database, int ActiveSilos, string Silo, bool SearchReady, int IndexedListings,
        long WorkingSetBytes, int Connections, string? Error = null);

    /// <summary>What a probe reads: live, ready, starting or degraded.</summary>
    public sealed record ProbeStatus(string Status);

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        // Probes are never rate limited: a load balancer asking often must not take a host out of service. They say
        // only live / ready; the details (silo address, memory, connections) are for operators (OperatorAccess).
        var health = app.MapGroup("/health").WithTags("Health").DisableRateLimiting();
        health.MapGet("/", ReportAsync).AddEndpointFilter<OperatorAccess>().Produces<HealthReport>().Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
        health.MapGet("/live", () => TypedResults.Ok(new ProbeStatus("live")));
        var readiness = new SharedCheck(); // this host's, captured by its endpoint
        health.MapGet("/ready", async (NpgsqlDataSource db, IClusterMembershipService membership, ILocalSiloDetails silo, IndexReplica replica,
            InboxRelay relay) =>
        {
            var report = await readiness.RunAsync(() => CheckAsync(db, membership, silo, replica, relay, CancellationToken.None));
            return report.Status == "ready" ? Results.Ok(new ProbeStatus(report.Status)) : Results.Json(new ProbeStatus(report.Status), statusCode: 503);
        }).Produces<ProbeStatus>().Produces<ProbeStatus>(StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>
    /// Anyone may ask /health/ready as often as they like, so its database check is shared: at most one per second per
    /// host, however many probes (or attackers) ask.
    /// </summary>
    sealed class SharedCheck
    {
        sealed record Last(Task<HealthReport> Check, long At);

        Last? last;

        public Task<HealthReport> RunAsync(Func<Task<HealthReport>> check)
        {
            var now = Environment.TickCount64;
            if (Volatile.Read(ref last) is { } recent && now - recent.At < 1000) return recent.Check;
            var fresh = check();
            Volatile.Write(ref last, new Last(fresh, now));
            return fresh;
        }
    }

    static async Task<IResult> ReportAsync(NpgsqlDataSource db, IClusterMembershipService membership, ILocalSiloDetails silo, IndexReplica replica,
        InboxRelay relay, CancellationToken c)
    {
        var report = await CheckAsync(db, membership, silo, replica, relay, c);
        return report.Database ? Results.Ok(report) : Results.Json(report, statusCode: 503);
    }

    static async Task<HealthReport> CheckAsync(NpgsqlDataSource db, IClusterMembershipService membership, ILocalSiloDetails silo, IndexReplica replica,
        InboxRelay relay, CancellationToken c)
    {
        var active = membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(c);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = db.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            var ready = active > 0 && replica.Ready.IsCompleted;
            return new HealthReport(ready ? "ready" : "starting", true, true, active, silo.SiloAddress.ToString(),
                replica.Ready.IsCompleted, replica.Index.Count, Environment.WorkingSet, relay.ConnectionCount);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return new HealthReport("degraded", true, false, active, silo.SiloAddress.ToString(), replica.Ready.IsCompleted,
                replica.Index.Count, Environment.WorkingSet, relay.ConnectionCount, e.Message);
        }
    }
}
