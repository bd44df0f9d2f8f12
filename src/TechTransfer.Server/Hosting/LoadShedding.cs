using System.Threading.RateLimiting;
using TechTransfer.Problems;

namespace TechTransfer.Hosting;

/// <summary>
/// Past capacity a host answers writes with a fast 503 instead of letting them pile up: a publish waits for
/// matching, PostgreSQL and the pushes, so a host taking every write offered made each one wait its turn behind all
/// the others until the callers' 30 s timeouts, and retries made it worse (issue 17, item 14: p99 261 s).
/// <para>
/// At most <c>TechTransfer:LoadShedding:ConcurrentWrites</c> (16) state-changing API requests run at once per host;
/// the others wait their turn in order. A write is let in only if the host foresees answering it within
/// <c>AnswerWithin</c> (1 s): its wait, the writes queued ahead of it served <c>ConcurrentWrites</c> at a time, plus
/// its own time, both from how long writes have held their permits lately (Little's law), corrected by how late
/// answers have come against that foresight so that 199 in 200 writes let in are answered in time. Otherwise it is
/// refused as it arrives with 503 <c>overloaded</c> and Retry-After, having changed nothing, so past capacity a refusal is
/// answered in milliseconds and the caller can go elsewhere at once (issue 20, item 5). A write let in is served,
/// not refused after waiting its turn in vain; only one that still waits after <c>QueueWait</c> (5 s, a safety net
/// for a host that stopped finishing writes) is refused then. A burst is let through as far as the host can answer
/// it in time: a hundred bidders in the same second on a host that holds a write for 30 ms.
/// </para>
/// Reads are not held back: they are what keeps the portal usable while writes are shed.
/// </summary>
public sealed class LoadShedding(RequestDelegate next, IConfiguration configuration)
{
    readonly int permits = Permits(configuration);

    static int Permits(IConfiguration configuration) => Math.Max(1, configuration.GetValue("TechTransfer:LoadShedding:ConcurrentWrites", 16));

    readonly ConcurrencyLimiter writes = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = Permits(configuration),
        QueueLimit = Math.Max(0, configuration.GetValue("TechTransfer:LoadShedding:QueuedWrites", 1000)),
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    readonly TimeSpan answerWithin = configuration.GetValue("TechTransfer:LoadShedding:AnswerWithin", TimeSpan.FromSeconds(1));
    readonly TimeSpan queueWait = configuration.GetValue("TechTransfer:LoadShedding:QueueWait", TimeSpan.FromSeconds(5));

    // How long a write has held its permit lately: an exponentially weighted mean (seconds), each write weighing 5 %.
    double meanServiceS;
    // How much later than foreseen writes are answered: a mean says nothing of the slowest, and the mean lags when
    // load rises. Raised 10 % for each write let in and answered after AnswerWithin, lowered 0.05 % for each in time,
    // it settles where about 1 in 200 is late: the p99 of what is let in stays within the budget.
    double lateness = 1;
    readonly Lock serviceGate = new();

    /// <summary>When a write that must queue now would be answered: the writes queued ahead of it, served
    /// <c>permits</c> at a time, then its own time, times how late answers have come against such foresight.</summary>
    TimeSpan ForeseenAnswer(long queued)
    {
        lock (serviceGate) return TimeSpan.FromSeconds(((queued + 1) * meanServiceS / permits + meanServiceS) * lateness);
    }

    void Served(TimeSpan held, TimeSpan answered)
    {
        lock (serviceGate)
        {
            meanServiceS = meanServiceS == 0 ? held.TotalSeconds : 0.95 * meanServiceS + 0.05 * held.TotalSeconds;
            lateness = Math.Clamp(answered > answerWithin ? lateness * 1.1 : lateness / 1.0005, 0.5, 4);
        }
    }

    public async Task InvokeAsync(HttpContext http)
    {
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
            || !http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }

        var arrived = System.Diagnostics.Stopwatch.GetTimestamp();
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
            Served(System.Diagnostics.Stopwatch.GetElapsedTime(started), System.Diagnostics.Stopwatch.GetElapsedTime(arrived));
        }
    }

    async Task<RateLimitLease> AdmitAsync(HttpContext http)
    {
        // Must queue and could not be answered in time: say so now, not after waiting. A write that finds a free
        // permit always runs, so the host keeps learning how long writes take even when they all got slow.
        if (writes.GetStatistics() is { CurrentAvailablePermits: 0 } now && ForeseenAnswer(now.CurrentQueuedCount) > answerWithin)
            return FailedLease.Foreseen;
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

    /// <summary>A refusal and why: its answer was foreseen too late, it waited too long, or too many were waiting.</summary>
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
