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
/// refuses only what the host could not start soon. Reads are not held back: they are what keeps
/// the portal usable while writes are shed.
/// </summary>
public sealed class LoadShedding(RequestDelegate next, IConfiguration configuration)
{
    readonly ConcurrencyLimiter writes = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = Math.Max(1, configuration.GetValue("TechTransfer:LoadShedding:ConcurrentWrites", 32)),
        QueueLimit = Math.Max(0, configuration.GetValue("TechTransfer:LoadShedding:QueuedWrites", 1000)),
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    readonly TimeSpan queueWait = configuration.GetValue("TechTransfer:LoadShedding:QueueWait", TimeSpan.FromSeconds(2));

    public async Task InvokeAsync(HttpContext http)
    {
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
            || !http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }

        RateLimitLease lease;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted))
        {
            wait.CancelAfter(queueWait);
            try
            {
                lease = await writes.AcquireAsync(1, wait.Token);
            }
            catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
            {
                lease = FailedLease.Instance; // waited its turn too long
            }
        }
        using (lease)
        {
            if (!lease.IsAcquired)
            {
                Telemetry.Metrics.WritesShed.Add(1);
                http.Response.Headers.RetryAfter = "1";
                await ProblemResults.Create(ProblemCodes.Overloaded).ExecuteAsync(http);
                return;
            }
            await next(http);
        }
    }

    sealed class FailedLease : RateLimitLease
    {
        public static readonly FailedLease Instance = new();
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
