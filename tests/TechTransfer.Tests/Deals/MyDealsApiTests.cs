using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Deals;

/// <summary>我的对接 (GET /api/deals): whose deals each role gets, paging, the stage filter and names.</summary>
[Collection(ApiCollection.Name)]
public sealed class MyDealsApiTests(ApiFixture api)
{
    async Task<JsonElement> ListAsync(string account, string query = "")
    {
        var response = await (await api.SignedInAsync(account)).GetAsync($"/api/deals{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{account} {query}: {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    static string[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()!)];

    async Task<HashSet<string>> AllAsync(string account)
    {
        var all = new HashSet<string>();
        for (var page = 1; page <= 10; page++)
        {
            var body = await ListAsync(account, $"?page={page}&size=100");
            all.UnionWith(Ids(body));
            if (page * 100 >= body.GetProperty("total").GetInt64()) break;
        }
        return all;
    }

    async Task PostOkAsync(string account, string path, object? body = null)
    {
        var response = await (await api.SignedInAsync(account)).PostAsJsonAsync(path, body ?? new { });
        Assert.True(response.IsSuccessStatusCode, $"{account} {path}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Parties_get_their_organizations_deals_brokers_those_they_lead_newest_change_first_paged_filtered_and_named()
    {
        // A fresh enterprise of 广东 (greater-bay) with three demands, each matched by a demo-university achievement.
        var enterprise = await FreshOrganization.CreateAsync(api.SignedInAsync, "Enterprise", "广东");
        var deals = new List<string>();
        for (var i = 0; i < 3; i++)
            deals.Add(await DealApiTests.MatchAsync(account => api.SignedInAsync(account == "demo-enterprise" ? enterprise.Account : account)));
        foreach (var deal in deals) await PostOkAsync(enterprise.Account, $"/api/deals/{deal}/interest");
        await PostOkAsync("demo-university", $"/api/deals/{deals[1]}/interest"); // both sides: a lead, and the latest change

        var first = await ListAsync(enterprise.Account, "?size=2");
        Assert.Equal(3, first.GetProperty("total").GetInt64());
        Assert.Equal([deals[1], deals[2]], Ids(first));
        Assert.Equal([deals[0]], Ids(await ListAsync(enterprise.Account, "?page=2&size=2")));
        var row = first.GetProperty("items")[0];
        Assert.Equal(("Lead", "org-demo-university", enterprise.Id), (row.GetProperty("stage").GetString(),
            row.GetProperty("achievementOrganizationId").GetString(), row.GetProperty("demandOrganizationId").GetString()));
        Assert.Contains("极片缺陷检测技术", row.GetProperty("demandTitle").GetString());
        Assert.Equal((enterprise.Name, "演示大学（江苏）"), (first.GetProperty("names").GetProperty(enterprise.Id).GetString(),
            first.GetProperty("names").GetProperty("org-demo-university").GetString()));
        Assert.True(row.GetProperty("lastActivityAt").GetDateTimeOffset() > first.GetProperty("items")[1].GetProperty("lastActivityAt").GetDateTimeOffset());

        Assert.Equal([deals[1]], Ids(await ListAsync(enterprise.Account, "?stage=Lead")));
        Assert.Equal([deals[2], deals[0]], Ids(await ListAsync(enterprise.Account, "?stage=Matched")));
        var outsider = await FreshOrganization.CreateAsync(api.SignedInAsync);
        Assert.Equal(0, (await ListAsync(outsider.Account)).GetProperty("total").GetInt64());

        // The broker who claims the lead has it first; the other side's broker (who did not claim it) and a third
        // center's broker do not; national lists every lead, never a deal still waiting for interest.
        await PostOkAsync("demo-broker", $"/api/deals/{deals[1]}/claim");
        var broker = await ListAsync("demo-broker", "?size=1");
        Assert.Equal([deals[1]], Ids(broker));
        Assert.Equal("长三角技术经纪人", broker.GetProperty("names").GetProperty("acct-demo-broker").GetString());
        Assert.DoesNotContain(deals[1], await AllAsync("demo-broker-greater-bay"));
        Assert.DoesNotContain(deals[1], await AllAsync("demo-broker-central"));
        var national = await ListAsync("demo-national", "?size=1");
        Assert.Equal([deals[1]], Ids(national));
        Assert.DoesNotContain(deals[0], await AllAsync("demo-national"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/deals")).StatusCode);
        var client = await api.SignedInAsync(enterprise.Account);
        await (await client.GetAsync("/api/deals?stage=Bogus")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        await (await client.GetAsync("/api/deals?size=101")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        await (await client.GetAsync("/api/deals?page=11&size=100")).AssertProblemAsync(HttpStatusCode.BadRequest, "page-too-deep");
    }
}
