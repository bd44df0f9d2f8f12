using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Accounts;
using TechTransfer.Contracts;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;
using static TechTransfer.Tests.Contracts.ContractSamples;

namespace TechTransfer.Tests.Contracts;

/// <summary>我的合同 (GET /api/contracts) and the contract page's context, through the real host.</summary>
[Collection(ApiCollection.Name)]
public sealed class ContractListApiTests(ApiFixture api)
{
    static readonly Actor YangtzeBroker = new("acct-demo-broker", "org-center-yangtze-delta", OrganizationKind.ServiceCenter, Role.Broker, "yangtze-delta");
    static readonly Actor BayBroker = new("acct-demo-broker-greater-bay", "org-center-greater-bay", OrganizationKind.ServiceCenter, Role.Broker, "greater-bay");

    Task<ContractView> RegisterAsync(Actor broker, string seller, string buyer, decimal amount) =>
        api.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IContractRegistryGrain>(broker.RegionCode!)
            .RegisterAsync(broker, Facts(broker.RegionCode!, seller: seller, buyer: buyer), Content(amount, amount / 2, "2025-03-01"));

    async Task<JsonElement> ListAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync($"/api/contracts{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    static string[] Numbers(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("number").GetString()!)];

    /// <summary>Every number a client can page through (at most 1,000, the paging cap).</summary>
    async Task<HashSet<string>> AllAsync(HttpClient client)
    {
        var all = new HashSet<string>();
        for (var page = 1; page <= 10; page++)
        {
            var body = await ListAsync(client, $"?page={page}&size=100");
            all.UnionWith(Numbers(body));
            if (page * 100 >= body.GetProperty("total").GetInt64()) break;
        }
        return all;
    }

    [Fact]
    public async Task Parties_see_their_own_contracts_a_center_its_regions_national_all_newest_first_and_paged()
    {
        var seller = await FreshOrganization.CreateAsync(api.SignedInAsync, "University");
        var buyer = await FreshOrganization.CreateAsync(api.SignedInAsync);
        var other = await FreshOrganization.CreateAsync(api.SignedInAsync);
        var ours = new List<string>();
        for (var i = 0; i < 23; i++) ours.Add((await RegisterAsync(YangtzeBroker, seller.Id, buyer.Id, 100 + i)).Number);
        var elsewhere = (await RegisterAsync(BayBroker, seller.Id, other.Id, 77)).Number;

        // The seller: all 24, newest registration first, three pages of 10 that neither overlap nor skip.
        var sellerClient = await api.SignedInAsync(seller.Account);
        var first = await ListAsync(sellerClient, "?size=10");
        Assert.Equal(24, first.GetProperty("total").GetInt64());
        Assert.Equal((1, 10), (first.GetProperty("page").GetInt32(), first.GetProperty("size").GetInt32()));
        var paged = new List<string>(Numbers(first));
        paged.AddRange(Numbers(await ListAsync(sellerClient, "?page=2&size=10")));
        var third = Numbers(await ListAsync(sellerClient, "?page=3&size=10"));
        Assert.Equal(4, third.Length);
        paged.AddRange(third);
        Assert.Equal([elsewhere, .. Enumerable.Reverse(ours)], paged);

        var row = first.GetProperty("items")[1];
        Assert.Equal((ours[^1], seller.Id, buyer.Id), (row.GetProperty("number").GetString(), row.GetProperty("sellerOrganizationId").GetString(),
            row.GetProperty("buyerOrganizationId").GetString()));
        Assert.Equal((122m, 61m, "License", "2025-03-01"), (row.GetProperty("contractAmount").GetDecimal(), row.GetProperty("techTransactionAmount").GetDecimal(),
            row.GetProperty("type").GetString(), row.GetProperty("signingDate").GetString()));
        var names = first.GetProperty("names");
        Assert.Equal((seller.Name, buyer.Name, other.Name), (names.GetProperty(seller.Id).GetString(), names.GetProperty(buyer.Id).GetString(),
            names.GetProperty(other.Id).GetString()));
        Assert.Equal("长三角区域服务中心", names.GetProperty("yangtze-delta").GetString());

        // The buyer: its 23, not the seller's contract with someone else; the other party: its one.
        var buyerAll = await AllAsync(await api.SignedInAsync(buyer.Account));
        Assert.Equal(ours.ToHashSet(), buyerAll);
        Assert.Equal([elsewhere], await AllAsync(await api.SignedInAsync(other.Account)));

        // The registering center's broker sees its region's (ours are its newest); the other center only its own;
        // a broker of a third center none of them.
        var yangtze = await ListAsync(await api.SignedInAsync("demo-broker"), "?size=23");
        Assert.Equal(Enumerable.Reverse(ours), Numbers(yangtze));
        Assert.DoesNotContain(elsewhere, await AllAsync(await api.SignedInAsync("demo-broker")));
        Assert.Equal(elsewhere, Numbers(await ListAsync(await api.SignedInAsync("demo-broker-greater-bay"), "?size=1"))[0]);
        var central = await AllAsync(await api.SignedInAsync("demo-broker-central"));
        Assert.Empty(central.Intersect([.. ours, elsewhere]));
        Assert.Equal([elsewhere, ours[^1]], Numbers(await ListAsync(await api.SignedInAsync("demo-national"), "?size=2")));

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/contracts")).StatusCode);
        foreach (var query in new[] { "?page=0", "?size=0", "?size=101" })
            await (await sellerClient.GetAsync($"/api/contracts{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        await (await sellerClient.GetAsync("/api/contracts?page=11&size=100")).AssertProblemAsync(HttpStatusCode.BadRequest, "page-too-deep");
    }

    [Fact]
    public async Task A_contract_page_names_its_parties_listings_and_broker_says_who_may_amend_and_an_amendment_moves_the_list()
    {
        var (deal, number) = await RegisteredDealAsync(api.SignedInAsync);

        var party = await (await api.SignedInAsync("demo-enterprise")).GetFromJsonAsync<JsonElement>($"/api/contracts/{number}");
        Assert.Equal(deal, party.GetProperty("facts").GetProperty("dealId").GetString());
        Assert.Contains("锂电池极片缺陷在线检测方法", party.GetProperty("achievementTitle").GetString());
        Assert.Contains("极片缺陷检测技术", party.GetProperty("demandTitle").GetString());
        Assert.Equal("acct-demo-broker", party.GetProperty("broker").GetString());
        var names = party.GetProperty("names");
        Assert.Equal(("演示大学（江苏）", "演示科技有限公司（广东）", "长三角技术经纪人"), (names.GetProperty("org-demo-university").GetString(),
            names.GetProperty("org-demo-enterprise").GetString(), names.GetProperty("acct-demo-broker").GetString()));
        Assert.False(party.GetProperty("mayAmend").GetBoolean());
        var broker = await api.SignedInAsync("demo-broker");
        Assert.True((await broker.GetFromJsonAsync<JsonElement>($"/api/contracts/{number}")).GetProperty("mayAmend").GetBoolean());
        Assert.True((await (await api.SignedInAsync("demo-national")).GetFromJsonAsync<JsonElement>($"/api/contracts/{number}")).GetProperty("mayAmend").GetBoolean());

        var amended = await broker.PostAsJsonAsync($"/api/contracts/{number}/amendments", new { field = "contractAmount", value = 360, reason = "补充协议" });
        Assert.Equal(HttpStatusCode.Created, amended.StatusCode);
        var after = await ListAsync(await api.SignedInAsync("demo-university"), "?size=5");
        var row = after.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("number").GetString() == number);
        Assert.Equal((360m, 280m, 1), (row.GetProperty("contractAmount").GetDecimal(), row.GetProperty("techTransactionAmount").GetDecimal(),
            row.GetProperty("amendments").GetInt32()));
        var page = await (await api.SignedInAsync("demo-university")).GetFromJsonAsync<JsonElement>($"/api/contracts/{number}");
        Assert.Equal("长三角技术经纪人", page.GetProperty("names").GetProperty(page.GetProperty("amendments")[0].GetProperty("amendedBy").GetString()!).GetString());
    }

    [Fact]
    public async Task Contracts_registered_before_the_list_existed_are_filled_in_from_their_stored_state_with_amendments_applied()
    {
        var seller = await FreshOrganization.CreateAsync(api.SignedInAsync, "University");
        var contract = await RegisterAsync(YangtzeBroker, seller.Id, "org-demo-enterprise", 150);
        var broker = await api.SignedInAsync("demo-broker");
        foreach (var (field, value) in new (string, object)[] { ("contractAmount", 180), ("techTransactionAmount", 90), ("contractAmount", 200) })
            Assert.Equal(HttpStatusCode.Created,
                (await broker.PostAsJsonAsync($"/api/contracts/{contract.Number}/amendments", new { field, value, reason = "补充协议" })).StatusCode);

        // As before migration 013: no row. Then the migration's fill, as it runs on a database that has contracts.
        var migration = TechTransfer.Database.Migrator.Scripts().Single(s => s.Name == "TechTransfer/013-contract-list.sql").Sql;
        var fill = migration[migration.IndexOf("INSERT INTO tt_contract", StringComparison.Ordinal)..];
        await using var db = Npgsql.NpgsqlDataSource.Create(api.Database.ConnectionString);
        await using (var delete = db.CreateCommand("DELETE FROM tt_contract WHERE number = $1"))
        {
            delete.Parameters.Add(new() { Value = contract.Number });
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }
        Assert.DoesNotContain(contract.Number, await AllAsync(await api.SignedInAsync(seller.Account)));
        await using (var backfill = db.CreateCommand(fill)) await backfill.ExecuteNonQueryAsync();

        var row = (await ListAsync(await api.SignedInAsync(seller.Account))).GetProperty("items").EnumerateArray().Single();
        Assert.Equal((contract.Number, 200m, 90m, 3, "org-demo-enterprise", "yangtze-delta"), (row.GetProperty("number").GetString(),
            row.GetProperty("contractAmount").GetDecimal(), row.GetProperty("techTransactionAmount").GetDecimal(), row.GetProperty("amendments").GetInt32(),
            row.GetProperty("buyerOrganizationId").GetString(), row.GetProperty("regionCode").GetString()));
        // PostgreSQL keeps microseconds, rounded (not truncated) from the state's 100 ns ticks.
        Assert.InRange((row.GetProperty("registeredAt").GetDateTimeOffset() - contract.RegisteredAt).Duration(), TimeSpan.Zero, TimeSpan.FromTicks(5));
        Assert.Equal(contract.Facts.DealId, row.GetProperty("dealId").GetString());
    }

    /// <summary>
    /// A match of demo-enterprise's demand and demo-university's achievement, taken by demo-broker through every
    /// stage to a registered contract (300 万元, 280 of them technology). Returns the deal and the contract number.
    /// </summary>
    internal static async Task<(string Deal, string Number)> RegisteredDealAsync(Func<string, Task<HttpClient>> signIn)
    {
        var deal = await Deals.DealApiTests.MatchAsync(signIn);
        async Task<JsonElement> PostAsync(string account, string path, object body)
        {
            var response = await (await signIn(account)).PostAsJsonAsync($"/api/deals/{deal}/{path}", body);
            Assert.True(response.IsSuccessStatusCode, $"{account} {path}: {await response.Content.ReadAsStringAsync()}");
            return await response.BodyAsync();
        }
        await PostAsync("demo-enterprise", "interest", new { });
        await PostAsync("demo-university", "interest", new { });
        await PostAsync("demo-broker", "claim", new { });
        await PostAsync("demo-broker", "stage", new { stage = "Negotiating" });
        await PostAsync("demo-broker", "stage", new { stage = "ContractSigned" });
        var registered = await PostAsync("demo-broker", "contract", new
        {
            type = "License", contractAmount = 300m, techTransactionAmount = 280m, seller = "演示大学", buyer = "演示科技有限公司",
            signingDate = ChinaTime.Today(TimeProvider.System).AddDays(-1).ToString("yyyy-MM-dd"), note = "独占许可五年",
        });
        return (deal, registered.GetProperty("contractNumber").GetString()!);
    }
}
