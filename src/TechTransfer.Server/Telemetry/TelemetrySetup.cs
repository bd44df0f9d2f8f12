using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace TechTransfer.Telemetry;

/// <summary>
/// OpenTelemetry metrics: the network's own (publishes, matches, push latency, index lag) with Orleans' (grain
/// activations, messaging), ASP.NET Core's, SignalR's, Npgsql's and the runtime's. Scraped at /metrics
/// by operators (Prometheus text; aggregate counts only, no user data) and pushed by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// </summary>
public static class TelemetrySetup
{
    static readonly string[] Meters =
    [
        Metrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.RateLimiting", "Npgsql", "System.Runtime",
    ];

    public static void AddTechTransferTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("techtransfer", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddPrometheusExporter();
                if (otlp) metrics.AddOtlpExporter();
            });
    }

    /// <summary>Operators only (<see cref="Health.OperatorAccess"/>); a scraper with the token is never turned away by the rate limits.</summary>
    public static void MapMetrics(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (http, next) =>
        {
            if (Health.OperatorAccess.IsOperator(http, app.Configuration)) await next(http);
            else await Problems.ProblemResults.Create(Problems.ProblemCodes.NotFound).ExecuteAsync(http);
        }), optionsName: null).DisableRateLimiting();
}
