using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.RateLimits;

/// <summary>A host of its own with small limits: 20 requests a minute per account, 60 before sign-in (sign-ins included; the start-up wait spends some), 200 per IP.</summary>
public sealed class RateLimitHost : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public ApiFixture.HostFactory Host { get; private set; } = null!;

    /// <summary>Signed in before any test spends the anonymous bucket.</summary>
    public HttpClient Busy { get; private set; } = null!;
    public HttpClient Calm { get; private set; } = null!;
    public HttpClient Listener { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("ratelimit");
        Host = new ApiFixture.HostFactory(Database.ConnectionString, demoListings: false, new Dictionary<string, string>
        {
            ["TechTransfer:RateLimits:PermitsPerMinute"] = "20",
            ["TechTransfer:RateLimits:AnonymousPermitsPerMinute"] = "60",
            ["TechTransfer:RateLimits:PerIpPermitsPerMinute"] = "200",
        });
        Host.StartServer();
        await Host.WaitUntilSeededAsync();
        Busy = await Host.SignedInAsync("demo-broker-jing-jin-ji");
        Calm = await Host.SignedInAsync("demo-broker-northeast");
        Listener = await Host.SignedInAsync("demo-broker-southwest");
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}

// Each test spends a bucket of its own (another account, or the anonymous bucket), so they may run in any order;
// the per-IP bucket (200) is shared, hence one test class, run one test at a time.
public sealed class RateLimitTests(RateLimitHost host) : IClassFixture<RateLimitHost>
{
    static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var problem = await response.BodyAsync();
        Assert.Equal("rate-limited", problem.GetProperty("code").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("titleZh").GetString()));
    }

    [Fact]
    public async Task An_account_past_its_limit_gets_429_with_retry_after_and_another_account_is_unaffected()
    {
        var busy = host.Busy;
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++) statuses.Add(await busy.GetAsync("/api/auth/me"));

        Assert.Equal(HttpStatusCode.OK, statuses[0].StatusCode);
        await AssertTooManyAsync(statuses.First(r => r.StatusCode != HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, (await host.Calm.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Password_guessing_before_sign_in_is_slowed_per_ip()
    {
        var anonymous = host.Host.CreateClient();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 40; i++)
            responses.Add(await anonymous.PostAsJsonAsync("/api/auth/login", new { account = "nobody-" + i, password = "guess" }));

        Assert.Equal(HttpStatusCode.Unauthorized, responses[0].StatusCode);
        await AssertTooManyAsync(responses.Last());
    }

    [Fact]
    public async Task Hub_method_calls_have_their_own_budget_per_account()
    {
        var connection = host.Host.HubConnection(host.Listener.DefaultRequestHeaders.Authorization!.Parameter!);
        await connection.StartAsync();
        HubException? refused = null;
        for (var i = 0; i < 15 && refused is null; i++)
        {
            try { await connection.InvokeAsync<Dictionary<string, long>>("Listen"); }
            catch (HubException e) { refused = e; }
        }
        Assert.NotNull(refused);
        Assert.Contains("rate-limited", refused.Message);
        Assert.Equal(HubConnectionState.Connected, connection.State); // refused, not thrown out
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Health_probes_are_never_limited()
    {
        var probe = host.Host.CreateClient();
        var scraper = host.Host.Operator();
        for (var i = 0; i < 40; i++)
            Assert.Equal(HttpStatusCode.OK, (await (i % 3 == 2 ? scraper : probe).GetAsync((i % 3) switch { 0 => "/health/live", 1 => "/health/ready", _ => "/health" })).StatusCode);
    }
}
