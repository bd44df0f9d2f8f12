using TechTransfer.Problems;

namespace TechTransfer.Hosting;

/// <summary>
/// A stopping host takes no new request. SignalR closes its connections when the host starts stopping, and the
/// clients reconnect at once; until Kestrel stops listening, a moment later, they reconnected to the same host, and
/// Kestrel then waited for those new hub connections until the shutdown timeout: under load one host in three
/// ignored its stop for 20 s and was killed (issue 17, item 16; seen in an async dump). From the stopping signal
/// on, every new request, a hub's included, gets 503 <c>unavailable</c> with Retry-After and Connection: close, so a
/// client tries again elsewhere and the requests already running finish.
/// </summary>
public sealed class StoppingGate(RequestDelegate next, IHostApplicationLifetime lifetime)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (!lifetime.ApplicationStopping.IsCancellationRequested) return next(http);
        http.Response.Headers.RetryAfter = "1";
        http.Response.Headers.Connection = "close";
        return ProblemResults.Create(ProblemCodes.Unavailable).ExecuteAsync(http);
    }
}
