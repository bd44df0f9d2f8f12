using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Demo;
using TechTransfer.Hosting;
using TechTransfer.Storage;

namespace TechTransfer.Tests.Infrastructure;

/// <summary>
/// The real host (silo + Kestrel + API) on a fresh database, in local demo mode without demo listings:
/// the demo organizations and accounts exist, the market is empty.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public HostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("api");
        // Matches left unannounced are swept after a second instead of half a minute (MatchOutboxTests).
        Host = new HostFactory(Database.ConnectionString, demoListings: false,
            new Dictionary<string, string> { ["TechTransfer:Matching:AnnounceRetryAfter"] = "00:00:01" });
        Host.StartServer();
        await Host.WaitUntilSeededAsync();
    }

    public HttpClient Anonymous() => Host.CreateClient();

    /// <summary>A client signed in as one of the demo accounts (password from the demo seeder).</summary>
    public Task<HttpClient> SignedInAsync(string account) => Host.SignedInAsync(account);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }

    public sealed class HostFactory(string connectionString, bool demoListings, IReadOnlyDictionary<string, string>? settings = null,
        TimeProvider? clock = null)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            UseKestrel(0);
            builder.UseSetting("mode", "local");
            builder.UseSetting($"ConnectionStrings:{GrainServices.ConnectionName}", connectionString);
            builder.UseSetting("Orleans:ClusterId", "api-" + Guid.NewGuid().ToString("N")[..8]);
            builder.UseSetting("Orleans:ServiceId", "api-" + Guid.NewGuid().ToString("N")[..8]);
            builder.UseSetting("Orleans:Endpoints:SiloPort", FreePort().ToString());
            builder.UseSetting("Orleans:Endpoints:GatewayPort", FreePort().ToString());
            builder.UseSetting("TechTransfer:Demo", "true");
            builder.UseSetting("TechTransfer:DemoListings", demoListings ? "true" : "false");
            // Tests drive many accounts from one loopback address; the rate limit tests set their own limits.
            builder.UseSetting("TechTransfer:RateLimits:PerIpPermitsPerMinute", "1000000");
            builder.UseSetting("TechTransfer:RateLimits:AnonymousPermitsPerMinute", "1000000");
            builder.UseSetting("TechTransfer:RateLimits:PermitsPerMinute", "1000000");
            builder.UseSetting("TechTransfer:RateLimits:ApplicationsPerHour", "1000000");
            // Tests run many at once against one host and fire bursts (a hundred bidders) to test correctness, not
            // shedding; the load-shedding tests set their own budget.
            builder.UseSetting("TechTransfer:LoadShedding:AnswerWithin", "00:00:30");
            builder.UseSetting("TechTransfer:LoadShedding:QueueWait", "00:00:30");
            builder.UseSetting("TechTransfer:Operations:Token", OperatorToken);
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
            // A test's own clock (e.g. ShiftedClock) for the server and its silo alike.
            if (clock is not null) builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }

        /// <summary>Opens /metrics and the detailed /health (Health/OperatorAccess.cs).</summary>
        public const string OperatorToken = "test-operator-token-6b1f";

        /// <summary>A client of the operator endpoints.</summary>
        public HttpClient Operator()
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
            return client;
        }

        /// <summary>A client signed in as a demo account (Bearer token).</summary>
        public async Task<HttpClient> SignedInAsync(string account)
        {
            var client = CreateClient();
            var response = await client.PostAsJsonAsync("/api/auth/login", new { account, password = DemoSeeder.Password });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
            return client;
        }

        /// <summary>A hub connection (not started) that signs in with <paramref name="token"/> and reads events as the server writes them.</summary>
        public HubConnection HubConnection(string token) => new HubConnectionBuilder()
            .WithUrl(new Uri(CreateClient().BaseAddress!, "/hubs/network"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => TechTransferJson.Configure(o.PayloadSerializerOptions))
            .Build();

        /// <summary>The seeder runs right after start; a sign-in succeeds once the last demo account exists.</summary>
        public async Task WaitUntilSeededAsync()
        {
            using var client = CreateClient();
            for (var attempt = 0; attempt < 120; attempt++)
            {
                var response = await client.PostAsJsonAsync("/api/auth/login",
                    new { account = "demo-broker-beibu-gulf", password = DemoSeeder.Password });
                if (response.StatusCode == HttpStatusCode.OK) return;
                await Task.Delay(250);
            }
            throw new TimeoutException("The demo accounts were not seeded within 30 s.");
        }

        static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}

public static class Json
{
    public static readonly JsonSerializerOptions Options = TechTransferJson.Options;

    public static async Task<JsonElement> BodyAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Options);

    /// <summary>Creates a listing through the API and publishes it; returns its id.</summary>
    public static async Task<string> CreatePublishedAsync(this HttpClient client, string path, object body)
    {
        var created = await client.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.BodyAsync()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"{path}/{id}/publish", null)).StatusCode);
        return id;
    }
}
