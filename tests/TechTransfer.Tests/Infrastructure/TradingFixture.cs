using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Accounts;
using TechTransfer.Notifications;
using TechTransfer.Security;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Infrastructure;

/// <summary>
/// A real host for the trading tests with a short soft close (3 s window, 3 s extension) and a 1 s reminder
/// period, and four verified demo enterprises (广东 浙江 江苏 北京); 四川's (org-demo-enterprise-4) stays unverified.
/// </summary>
public sealed class TradingFixture : IAsyncLifetime
{
    public static readonly string[] VerifiedEnterprises = ["org-demo-enterprise", "org-demo-enterprise-1", "org-demo-enterprise-2", "org-demo-enterprise-3"];
    public const string UnverifiedEnterprise = "org-demo-enterprise-4";

    public static readonly TimeSpan SoftClose = TimeSpan.FromSeconds(3);

    TestDatabase database = null!;

    public ApiFixture.HostFactory Host { get; private set; } = null!;

    public TestDatabase Database => database;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("trading");
        Host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, new Dictionary<string, string>
        {
            ["TechTransfer:Auctions:SoftCloseWindow"] = "00:00:03",
            ["TechTransfer:Auctions:SoftCloseExtension"] = "00:00:03",
            ["TechTransfer:Auctions:ReminderPeriod"] = "00:00:01",
        });
        Host.StartServer();
        await Host.WaitUntilSeededAsync();
        var national = await Host.SignedInAsync("demo-national");
        foreach (var organization in VerifiedEnterprises)
            (await national.PostAsJsonAsync($"/api/organizations/{organization}/verification", new { verified = true })).EnsureSuccessStatusCode();
    }

    public Task<HttpClient> SignedInAsync(string account) => Host.SignedInAsync(account);

    /// <summary>
    /// A client for an account of <paramref name="organization"/> that has no password: the token is issued by the
    /// host's own issuer, as sign-in would (100 bidders without 100 password hashes).
    /// </summary>
    public HttpClient As(string accountId, string organization, OrganizationKind kind = OrganizationKind.Enterprise)
    {
        var token = Token(accountId, organization, kind);
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public string Token(string accountId, string organization, OrganizationKind kind = OrganizationKind.Enterprise)
    {
        // As sign-in would, this asks the account for its token version, which activates the account grain before the
        // token is used (a burst of a hundred first requests would otherwise be a hundred activations at once).
        var version = Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>(accountId).GetTokenVersionAsync().GetAwaiter().GetResult();
        return Host.Services.GetRequiredService<TokenIssuer>().Issue(new Actor(accountId, organization, kind, Role.Member), accountId, version);
    }

    /// <summary>What the streams the account reads hold (the per-party news a connected client would be pushed).</summary>
    public async Task<TradeNotice[]> NoticesAsync(string accountId, string tradeId)
    {
        var grains = Host.Services.GetRequiredService<IGrainFactory>();
        // A bidder made up for a test (Token) has no stored account: its own stream is all it reads.
        var actor = await grains.GetGrain<IAccountGrain>(accountId).GetActorAsync();
        var read = actor is null ? [Inboxes.User(accountId)] : await Audiences.OfAsync(grains, actor);
        var streams = await Task.WhenAll(read.Select(s => grains.GetGrain<IInboxGrain>(s).ReadAfterAsync(0, 1000)));
        return [.. streams.SelectMany(s => s).Where(n => n.Type == nameof(TradeNotice))
            .Select(n => JsonSerializer.Deserialize<TradeNotice>(n.Payload, Json.Options)!).Where(n => n.TradeId == tradeId)];
    }

    /// <summary>A published achievement of <paramref name="client"/>'s organization.</summary>
    public static Task<string> AchievementAsync(HttpClient client) =>
        client.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{Samples.UniqueWord()} 锂电池极片缺陷在线检测方法"));

    /// <summary>Polls <paramref name="path"/> until <paramref name="done"/> holds (at most <paramref name="seconds"/>).</summary>
    public static async Task<JsonElement> UntilAsync(HttpClient client, string path, Func<JsonElement, bool> done, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var body = await (await client.GetAsync(path)).BodyAsync();
            if (done(body)) return body;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{path}: {body}");
            await Task.Delay(200);
        }
    }

    /// <summary>A signed-in hub connection that watches a trade's public feed and records it.</summary>
    public async Task<(HubConnection Connection, ConcurrentQueue<TradeFeed> Feed)> WatchAsync(string token, string tradeId)
    {
        var connection = Host.HubConnection(token);
        var feed = new ConcurrentQueue<TradeFeed>();
        connection.On<TradeFeed>(nameof(TradeFeed), f => feed.Enqueue(f));
        await connection.StartAsync();
        await connection.InvokeAsync<Dictionary<string, long>>("Listen");
        await connection.InvokeAsync<long>("Watch", tradeId, 0L);
        return (connection, feed);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TradingCollection : ICollectionFixture<TradingFixture>
{
    public const string Name = "trading";
}

public static class ProblemAsserts
{
    public static async Task AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode} {body}");
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }
}
