using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Demo;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Reputation;

/// <summary>A host of its own whose clock a test moves a year ahead (the attribution tail is 12 months).</summary>
public sealed class AttributionFixture : IAsyncLifetime
{
    public ShiftedClock Clock { get; } = new();

    public TestDatabase Database { get; private set; } = null!;

    public ApiFixture.HostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("attribution");
        Host = new ApiFixture.HostFactory(Database.ConnectionString, demoListings: false, clock: Clock);
        Host.StartServer();
        await Host.WaitUntilSeededAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// Broker attribution (issue 19 item 3) through the real host and PostgreSQL: the parties met through a broker's claim,
/// then signed outside the deal flow and the seller registered the contract itself. Within the tail it stays the
/// broker's (asked, told, counted); after it, it is nobody's.
/// </summary>
public sealed class BrokerAttributionTests(AttributionFixture fixture) : IClassFixture<AttributionFixture>
{
    static object Contract(bool? acknowledge = null) => new
    {
        type = "License", contractAmount = 80m, techTransactionAmount = 60m, seller = "测试大学", buyer = "测试企业",
        signingDate = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"), note = "双方自行签订", acknowledgeBroker = acknowledge,
    };

    // Signed in once each, before the clock moves: a token issued on the moved clock is not valid yet on the real one.
    readonly Dictionary<string, HttpClient> clients = [];

    async Task<HttpResponseMessage> SendAsync(string account, HttpMethod method, string path, object? body = null)
    {
        if (!clients.TryGetValue(account, out var client)) clients[account] = client = await fixture.Host.SignedInAsync(account);
        return await client.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) });
    }

    async Task<JsonElement> OkAsync(string account, HttpMethod method, string path, object? body = null)
    {
        var response = await SendAsync(account, method, path, body);
        Assert.True(response.IsSuccessStatusCode, $"{account} {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    static double? Indicator(JsonElement report, string name) =>
        report.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("name").GetString() == name).GetProperty("value") is var v
        && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    [Fact]
    public async Task A_contract_the_seller_registers_itself_stays_the_brokers_within_the_tail_and_is_nobodys_after_it()
    {
        var signIn = fixture.Host.SignedInAsync;
        var university = await FreshOrganization.CreateAsync(signIn, "University");
        var enterprise = await FreshOrganization.CreateAsync(signIn, "Enterprise");
        var broker = "t-broker-" + Guid.NewGuid().ToString("N")[..8];
        var appointed = await OkAsync("demo-national", HttpMethod.Post, "/api/organizations/org-center-yangtze-delta/accounts",
            new { account = broker, displayName = "归属经纪人", role = "Broker", password = DemoSeeder.Password });
        var brokerId = appointed.GetProperty("accountId").GetString()!;
        string U = university.Account, E = enterprise.Account;

        // Three matches: X and Y become leads the broker claims (X is then ended), Z is never a lead.
        var x = await ReputationApiTests.MatchAsync(signIn, university, enterprise);
        var y = await ReputationApiTests.MatchAsync(signIn, university, enterprise);
        var z = await ReputationApiTests.MatchAsync(signIn, university, enterprise);
        foreach (var deal in new[] { x, y })
        {
            await OkAsync(E, HttpMethod.Post, $"/api/deals/{deal}/interest", new { });
            await OkAsync(U, HttpMethod.Post, $"/api/deals/{deal}/interest", new { });
            await OkAsync(broker, HttpMethod.Post, $"/api/deals/{deal}/claim", new { });
        }
        await OkAsync(broker, HttpMethod.Post, $"/api/deals/{x}/close", new { reason = "双方暂无合作计划" });

        // The seller is asked: the deal names the broker and the end of the tail; the buyer and the broker are not offered it.
        var offered = await OkAsync(U, HttpMethod.Get, $"/api/deals/{x}");
        Assert.True(offered.GetProperty("mayRegisterOwnContract").GetBoolean());
        var attribution = offered.GetProperty("attribution");
        Assert.Equal((brokerId, "yangtze-delta"), (attribution.GetProperty("broker").GetString(), attribution.GetProperty("region").GetString()));
        Assert.Equal(365, (attribution.GetProperty("until").GetDateTimeOffset() - attribution.GetProperty("claimedAt").GetDateTimeOffset()).TotalDays, 3);
        Assert.False((await OkAsync(E, HttpMethod.Get, $"/api/deals/{x}")).GetProperty("mayRegisterOwnContract").GetBoolean());

        // Not acknowledged: 400 on that field, in both languages; the buyer, the broker and a match that was never a lead are refused.
        var unacknowledged = await SendAsync(U, HttpMethod.Post, $"/api/deals/{x}/own-contract", Contract());
        Assert.Equal(HttpStatusCode.BadRequest, unacknowledged.StatusCode);
        var problem = await unacknowledged.BodyAsync();
        var error = problem.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(("acknowledgeBroker", "broker-attribution"), (error.GetProperty("field").GetString(), error.GetProperty("rule").GetString()));
        Assert.Contains("经纪人", error.GetProperty("zh").GetString());
        Assert.Contains("broker", error.GetProperty("en").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(E, HttpMethod.Post, $"/api/deals/{x}/own-contract", Contract(true))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(broker, HttpMethod.Post, $"/api/deals/{x}/own-contract", Contract(true))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(U, HttpMethod.Post, $"/api/deals/{z}/own-contract", Contract(true))).StatusCode);
        Assert.Equal("Closed", (await OkAsync(U, HttpMethod.Get, $"/api/deals/{x}")).GetProperty("stage").GetString()); // nothing changed

        // Within the tail: registered by the seller, attributed to the broker, who is told.
        var registered = await OkAsync(U, HttpMethod.Post, $"/api/deals/{x}/own-contract", Contract(true));
        Assert.Equal("Registered", registered.GetProperty("stage").GetString());
        Assert.Equal("register-own", registered.GetProperty("trail").EnumerateArray().Last().GetProperty("action").GetString());
        var number = registered.GetProperty("contractNumber").GetString()!;
        var contract = await OkAsync(U, HttpMethod.Get, $"/api/contracts/{number}");
        Assert.Equal((brokerId, "yangtze-delta"), (contract.GetProperty("facts").GetProperty("broker").GetString(),
            contract.GetProperty("facts").GetProperty("regionCode").GetString()));
        Assert.Equal(brokerId, contract.GetProperty("broker").GetString());
        Assert.Equal("归属经纪人", contract.GetProperty("names").GetProperty(brokerId).GetString());
        Assert.Equal(university.AccountId, contract.GetProperty("registeredBy").GetString());
        await Eventually.TrueAsync(async () => (await OkAsync(broker, HttpMethod.Get, "/api/notifications")).GetProperty("items").EnumerateArray()
            .Any(n => n.GetProperty("type").GetString() == "ContractRegistered" && n.GetProperty("contractNumber").GetString() == number
                && n.GetProperty("broker").GetString() == brokerId), "the broker is told", seconds: 10);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(U, HttpMethod.Post, $"/api/deals/{x}/own-contract", Contract(true))).StatusCode); // once
        var record = await OkAsync("demo-national", HttpMethod.Get, $"/api/brokers/{brokerId}/credit");
        Assert.Equal((1.0, 80.0, 2.0, 1.0), (Indicator(record, "contractsRegistered"), Indicator(record, "contractAmount"),
            Indicator(record, "leadsClaimed"), Indicator(record, "dealsRegistered")));

        // A year and a day after the claim: the tail is over. Y is registered by the seller without asking, for nobody.
        fixture.Clock.Ahead = TimeSpan.FromDays(366);
        var late = await OkAsync(U, HttpMethod.Get, $"/api/deals/{y}");
        Assert.True(late.GetProperty("mayRegisterOwnContract").GetBoolean());
        Assert.Equal(JsonValueKind.Null, late.GetProperty("attribution").ValueKind);
        var unattributed = await OkAsync(U, HttpMethod.Post, $"/api/deals/{y}/own-contract", Contract());
        Assert.Equal("register-own-unattributed", unattributed.GetProperty("trail").EnumerateArray().Last().GetProperty("action").GetString());
        var lateContract = await OkAsync(U, HttpMethod.Get, $"/api/contracts/{unattributed.GetProperty("contractNumber").GetString()}");
        Assert.Equal(JsonValueKind.Null, lateContract.GetProperty("facts").GetProperty("broker").ValueKind);
        Assert.Equal(JsonValueKind.Null, lateContract.GetProperty("broker").ValueKind);
        var after = await OkAsync("demo-national", HttpMethod.Get, $"/api/brokers/{brokerId}/credit");
        Assert.Equal((1.0, 80.0, 1.0, 1.0), (Indicator(after, "contractsRegistered"), Indicator(after, "contractAmount"),
            Indicator(after, "leadsClaimed"), Indicator(after, "dealsRegistered")));
    }
}
