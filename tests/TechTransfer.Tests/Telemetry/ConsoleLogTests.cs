using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using TechTransfer.Hosting;

namespace TechTransfer.Tests.Telemetry;

/// <summary>
/// The console speaks to whoever reads it: a person running ./scripts/start (local mode) reads one plain line per
/// entry; a container's collector (cluster mode) indexes JSON lines. Each mode's configuration is built as the host
/// builds it and a log entry is written with the formatter that configuration picks.
/// </summary>
public sealed class ConsoleLogTests
{
    static async Task<string> LineAsync(string mode)
    {
        var builder = WebApplication.CreateBuilder(["--mode", mode]);
        SiloConfig.AddTo(builder);
        await using var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == options.FormatterName);
        using var writer = new StringWriter();
        formatter.Write(new LogEntry<string>(LogLevel.Information, "TechTransfer.Demo.DemoSeeder", new EventId(0), "演示网络已就绪", null,
            (state, _) => state), new LoggerExternalScopeProvider(), writer);
        return writer.ToString().TrimEnd('\r', '\n');
    }

    [Fact]
    public async Task Local_mode_prints_one_readable_line_per_entry_with_time_level_category_and_message()
    {
        var line = await LineAsync("local");
        Assert.DoesNotContain('\n', line);
        Assert.False(line.StartsWith('{'), $"a JSON line in local mode: {line}");
        Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} info: TechTransfer\.Demo\.DemoSeeder\[0\] 演示网络已就绪$"), line);
    }

    [Fact]
    public async Task Cluster_mode_keeps_json_lines_for_collectors()
    {
        using var json = JsonDocument.Parse(await LineAsync("cluster"));
        var entry = json.RootElement;
        Assert.Equal(("Information", "TechTransfer.Demo.DemoSeeder", "演示网络已就绪"),
            (entry.GetProperty("LogLevel").GetString(), entry.GetProperty("Category").GetString(), entry.GetProperty("Message").GetString()));
        Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"), entry.GetProperty("Timestamp").GetString());
    }
}
