using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TechTransfer.Notifications;

/// <summary>
/// The sweep of an outbox: what was stored as due but never announced (the publishing host crashed, PostgreSQL or a
/// silo went away between the store and the inbox) is announced by every host now and then, a batch at a time. A row
/// is leased before it is announced, so hosts do not announce the same one side by side; an announcement made twice
/// is harmless (an inbox holds an event once).
/// </summary>
public abstract class OutboxSweep(TimeSpan retryAfter, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected const int Batch = 200;

    /// <summary>Leases one batch of due rows for <paramref name="lease"/> and announces them; returns how many were due.</summary>
    protected abstract Task<int> AnnounceDueAsync(TimeSpan lease, CancellationToken cancellation);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var every = TimeSpan.FromTicks(Math.Clamp(retryAfter.Ticks / 3, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(10).Ticks));
        using var timer = new PeriodicTimer(every, clock);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                while (await AnnounceDueAsync(retryAfter, stopping) == Batch) { }
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // The leased rows fall due again and the next sweep takes them.
                logger.LogWarning(e, "{Outbox}: announcing what is due failed; trying again later", GetType().Name);
            }
        }
    }
}
