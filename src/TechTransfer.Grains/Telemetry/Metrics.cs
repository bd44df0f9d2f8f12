using System.Diagnostics.Metrics;

namespace TechTransfer.Telemetry;

/// <summary>
/// The network's own OpenTelemetry instruments (meter "TechTransfer"); exported with the runtime's, ASP.NET Core's,
/// SignalR's, Npgsql's and Orleans' (grain activations) by the server's telemetry set-up.
/// </summary>
public static class Metrics
{
    public const string MeterName = "TechTransfer";

    static readonly Meter Meter = new(MeterName, "1.0");

    /// <summary>Listings that went on the market (tag kind).</summary>
    public static readonly Counter<long> Published =
        Meter.CreateCounter<long>("techtransfer.listings.published", "{listing}", "Listings published");

    public static readonly Counter<long> MatchesFound =
        Meter.CreateCounter<long>("techtransfer.matches.found", "{match}", "Matches stored and announced");

    /// <summary>Stored matches announced by the outbox sweep because their first announcement failed.</summary>
    public static readonly Counter<long> MatchesAnnouncedLate =
        Meter.CreateCounter<long>("techtransfer.matches.announced_late", "{match}", "Matches announced by the outbox sweep");

    /// <summary>From an event entering an inbox to its push to a connection (live pushes; resumed backlogs excluded).</summary>
    public static readonly Counter<long> WritesShed =
        Meter.CreateCounter<long>("techtransfer.writes.shed", "{request}", "Writes refused with 503 because the host was at capacity, by reason: foreseen (would wait too long), waited, queue-full");

    public static readonly Histogram<double> PushLatency =
        Meter.CreateHistogram<double>("techtransfer.push.latency", "ms", "Inbox event to SignalR push");

    /// <summary>From a listing change being committed to this host's search replica applying it.</summary>
    public static readonly Histogram<double> IndexLag =
        Meter.CreateHistogram<double>("techtransfer.index.lag", "ms", "Listing change to search replica");
}
