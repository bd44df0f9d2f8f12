using System.Threading.RateLimiting;
using TechTransfer.Problems;

namespace TechTransfer.Hosting;

/// <summary>
/// Past capacity a host answers writes with a fast 503 instead of letting them pile up: a publish waits for
/// matching, PostgreSQL and the pushes, so a host taking every write offered made each one wait its turn behind all
/// the others until the callers' 30 s timeouts, and retries made it worse (issue 17, item 14: p99 261 s). At most
/// <c>TechTransfer:LoadShedding:ConcurrentWrites</c> (32) state-changing API requests run at once per host; the
/// others wait their turn in order, each at most <c>QueueWait</c> (2 s), and are then refused with 503
/// <c>overloaded</c> and Retry-After, having changed nothing (so is anything beyond <c>QueuedWrites</c>, 1,000,
/// waiting at once). Shedding by waiting time lets a burst through (a hundred bidders at the same second) and
/// refuses only what the host could not start soon. A write that would wait longer than that is refused as it
/// arrives, not after waiting: its wait is foreseen from the queue ahead of it and how long writes have been holding
/// their permits lately (Little's law), so past capacity a refusal is answered in milliseconds and the caller can go
/// elsewhere at once (issue 20, item 5). Reads are not held back: they are what keeps the portal usable while writes
/// are shed.
/// </summary>
public sealed class LoadShedding(RequestDelegate next, IConfiguration configuration)
{
    readonly int permits = Permits(configuration);

    static int Permits(IConfiguration configuration) => Math.Max(1, configuration.GetValue("TechTransfer:LoadShedding:ConcurrentWrites", 32));

    readonly ConcurrencyLimiter writes = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = Permits(configuration),
        QueueLimit = Math.Max(0, configuration.GetValue("TechTransfer:LoadShedding:QueuedWrites", 1000)),
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    readonly TimeSpan queueWait = configuration.GetValue("TechTransfer:LoadShedding:QueueWait", TimeSpan.FromSeconds(2));

    // How long a write has held its permit lately: an exponentially weighted mean (seconds), each write weighing 5 %.
    double meanServiceS;
    readonly Lock serviceGate = new();

    /// <summary>The wait of a write that joins the queue now: the writes ahead of it, served <c>permits</c> at a time.</summary>
    TimeSpan ForeseenWait(long queued)
    {
        lock (serviceGate) return TimeSpan.FromSeconds((queued + 1) * meanServiceS / permits);
    }

    void Served(TimeSpan held)
    {
        lock (serviceGate) meanServiceS = meanServiceS == 0 ? held.TotalSeconds : 0.95 * meanServiceS + 0.05 * held.TotalSeconds;
    }

    public async Task InvokeAsync(HttpContext http)
    {
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
            || !http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }

        using var lease = await AdmitAsync(http);
        if (lease is FailedLease refused)
        {
            Telemetry.Metrics.WritesShed.Add(1, new KeyValuePair<string, object?>("reason", refused.Reason));
            http.Response.Headers.RetryAfter = "1";
            await ProblemResults.Create(ProblemCodes.Overloaded).ExecuteAsync(http);
            return;
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            Served(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    async Task<RateLimitLease> AdmitAsync(HttpContext http)
    {
        // Would wait its turn too long: say so now, not after waiting.
        if (writes.GetStatistics()?.CurrentQueuedCount is > 0 and var queued && ForeseenWait(queued) > queueWait) return FailedLease.Foreseen;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        wait.CancelAfter(queueWait);
        try
        {
            var lease = await writes.AcquireAsync(1, wait.Token);
            return lease.IsAcquired ? lease : FailedLease.QueueFull;
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            return FailedLease.Waited;
        }
    }

    /// <summary>A refusal and why: its wait was foreseen too long, it waited too long, or too many were waiting.</summary>
    sealed class FailedLease(string reason) : RateLimitLease
    {
        public static readonly FailedLease Foreseen = new("foreseen"), Waited = new("waited"), QueueFull = new("queue-full");
        public string Reason => reason;
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
