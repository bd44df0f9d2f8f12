using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Security;

/// <summary>System account names cannot be taken through the API (issue 17, item 5).</summary>
[Collection(ApiCollection.Name)]
public sealed class ReservedAccountNameTests(ApiFixture api)
{
    [Theory]
    [InlineData("national-admin")]
    [InlineData("National-Admin")]
    [InlineData("national-ops")]
    [InlineData("admin")]
    [InlineData("root")]
    [InlineData("system")]
    [InlineData("torch")]
    public async Task An_organization_admin_cannot_create_an_account_with_a_reserved_name(string account)
    {
        var admin = await api.SignedInAsync("demo-university");
        var response = await admin.PostAsJsonAsync("/api/organizations/org-demo-university/accounts",
            new { account, displayName = "冒名", role = "Member", password = "Squatter#2026" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.BodyAsync()).GetProperty("errors").EnumerateArray());
        Assert.Equal("account", error.GetProperty("field").GetString());
        Assert.Equal("reserved", error.GetProperty("rule").GetString());
        var login = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { account, password = "Squatter#2026" });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }
}

/// <summary>The bootstrap refuses to run the host when its admin's name belongs to someone else (issue 17, item 5).</summary>
public sealed class AdminBootstrapTests
{
    [Fact]
    public async Task A_host_whose_bootstrap_admin_name_is_held_by_a_member_stops_with_a_critical_log_and_exit_code_1()
    {
        await using var database = await TestDatabase.CreateAsync("bootstrap");
        var serviceId = "boot-" + Guid.NewGuid().ToString("N")[..8];
        const string adminPassword = "Bootstrap#Admin-2026";

        // First host (the demo network): an organization admin creates an ordinary member whose name a later
        // configuration makes the bootstrap admin's (or data from before names were reserved).
        await using (var first = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, new Dictionary<string, string>
        {
            ["Orleans:ServiceId"] = serviceId,
        }))
        {
            first.StartServer();
            await first.WaitUntilSeededAsync();
            var university = await first.SignedInAsync("demo-university");
            var squat = await university.PostAsJsonAsync("/api/organizations/org-demo-university/accounts",
                new { account = "chief-operator", displayName = "普通成员", role = "Member", password = "Member#Pass-2026" });
            Assert.Equal(HttpStatusCode.Created, squat.StatusCode);
        }

        var logs = new LogCapture();
        var exitCode = Environment.ExitCode;
        try
        {
            await using var second = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, new Dictionary<string, string>
            {
                ["Orleans:ServiceId"] = serviceId,
                ["TechTransfer:Demo"] = "false",
                ["TechTransfer:AdminPassword"] = adminPassword,
                ["TechTransfer:Accounts:BootstrapAdmin"] = "chief-operator",
            });
            using var host = second.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
            host.StartServer();
            var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            await Eventually.TrueAsync(() => stopping.IsCancellationRequested, "the host stops", 60);
            Assert.Contains(logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("chief-operator") && e.Message.Contains("national admin"));
            Assert.Equal(1, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = exitCode; // the test run's own exit code
        }

        // Under a free name the bootstrap creates the national admin, next to the national organization that exists.
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(database, serviceId, "national-admin", adminPassword)).StatusCode);
    }

    /// <summary>Starts a production-mode host (no demo) with the bootstrap configured for <paramref name="account"/> and signs in as it.</summary>
    static async Task<HttpResponseMessage> LoginAsync(TestDatabase database, string serviceId, string account, string password)
    {
        await using var host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, new Dictionary<string, string>
        {
            ["Orleans:ServiceId"] = serviceId,
            ["TechTransfer:Demo"] = "false",
            ["TechTransfer:AdminPassword"] = password,
            ["TechTransfer:Accounts:BootstrapAdmin"] = account,
        });
        host.StartServer();
        HttpResponseMessage response = null!;
        var client = host.CreateClient();
        for (var attempt = 0; attempt < 60; attempt++)
        {
            response = await client.PostAsJsonAsync("/api/auth/login", new { account, password });
            if (response.StatusCode == HttpStatusCode.OK) break;
            await Task.Delay(250);
        }
        return response;
    }

    sealed class LogCapture : ILoggerProvider
    {
        public readonly ConcurrentQueue<(LogLevel Level, string Message)> Entries = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        sealed class Logger(LogCapture capture) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) capture.Entries.Enqueue((logLevel, formatter(state, exception)));
            }
        }
    }
}
