using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace TechTransfer.PushBench;

/// <summary>
/// What the publishes of a run cost the system, by its own counters: rows PostgreSQL inserted, updated and deleted in
/// the bench database (pg_stat_database) and grain calls the host made (the count of Orleans' orleans-app-requests-latency histogram),
/// between <see cref="StartAsync"/> and <see cref="PerPublishAsync"/>, divided by the publishes. Issue 20 asks both to
/// stay flat however many brokers a center has.
/// </summary>
public sealed partial class PublishCost(string? connection, Uri server)
{
    (long? Rows, double? Calls) start;

    public async Task StartAsync() => start = await ReadAsync();

    /// <summary>Per publish since the start; a figure is null where its counter could not be read.</summary>
    public async Task<object> PerPublishAsync(int publishes)
    {
        var end = await ReadAsync();
        double? Per(double? from, double? to) => from is { } f && to is { } t && publishes > 0 ? Math.Round((t - f) / publishes, 1) : null;
        return new { rowsWrittenPerPublish = Per(start.Rows, end.Rows), grainCallsPerPublish = Per(start.Calls, end.Calls) };
    }

    async Task<(long? Rows, double? Calls)> ReadAsync()
    {
        long? rows = null;
        if (connection is not null)
        {
            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync();
            await using var read = new NpgsqlCommand(
                "SELECT tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = current_database()", db);
            rows = (long)(await read.ExecuteScalarAsync())!;
        }
        using var http = OperatorToken.Client(server, TimeSpan.FromSeconds(10));
        var scrape = await http.GetStringAsync("/metrics");
        var calls = AppRequests().Matches(scrape).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        return (rows, calls.Count == 0 ? null : calls.Sum());
    }

    [GeneratedRegex(@"^orleans_app_requests_latency(?:_milliseconds)?_count(?:_total)?(?:\{[^}]*\})? (\S+)", RegexOptions.Multiline)]
    private static partial Regex AppRequests();
}
