using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Accounts;
using TechTransfer.Security;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.RegionalCenters;

/// <summary>
/// A center's work queue (GET /api/regions/{code}/leads) through the real host: who may read it, paging within the
/// listing cap, each filter and sort, and counts of the whole queue. The leads are in 北部湾 (广西, 海南), where no
/// other test of the collection publishes, so every count is exact.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RegionQueueApiTests(ApiFixture api)
{
    const string Region = "beibu-gulf", Broker = "demo-broker-beibu-gulf";
    const string Path = $"/api/regions/{Region}/leads";

    HttpClient As(Actor actor)
    {
        var issuer = api.Host.Services.GetRequiredService<TokenIssuer>();
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Issue(actor, actor.AccountId, 0));
        return client;
    }

    static async Task<JsonElement> PageAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync($"{Path}?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    static string[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    [Fact]
    public async Task Only_the_centers_brokers_and_admins_and_national_admins_read_its_queue()
    {
        foreach (var (client, status, who) in new (Func<Task<HttpClient>>, HttpStatusCode, string)[]
        {
            (() => api.SignedInAsync(Broker), HttpStatusCode.OK, "the center's broker"),
            (() => Task.FromResult(As(new Actor("acct-bg-admin", "org-center-beibu-gulf", OrganizationKind.ServiceCenter, Role.CenterAdmin, Region))), HttpStatusCode.OK, "the center's admin"),
            (() => api.SignedInAsync("demo-national"), HttpStatusCode.OK, "a national admin"),
            (() => api.SignedInAsync("demo-broker"), HttpStatusCode.Forbidden, "a broker of another center"),
            (() => Task.FromResult(As(new Actor("acct-yd-admin", "org-center-yangtze-delta", OrganizationKind.ServiceCenter, Role.CenterAdmin, "yangtze-delta"))), HttpStatusCode.Forbidden, "another center's admin"),
            (() => Task.FromResult(As(new Actor("acct-bg-member", "org-demo-enterprise", OrganizationKind.Enterprise, Role.Member))), HttpStatusCode.Forbidden, "a member"),
            (() => api.SignedInAsync("demo-enterprise"), HttpStatusCode.Forbidden, "an organization's admin"),
            (() => Task.FromResult(api.Anonymous()), HttpStatusCode.Unauthorized, "anonymous"),
        })
            Assert.True((await (await client()).GetAsync(Path)).StatusCode == status, $"{who} should get {status}");
        Assert.Equal(HttpStatusCode.NotFound, (await (await api.SignedInAsync("demo-national")).GetAsync("/api/regions/atlantis/leads")).StatusCode);
    }

    [Fact]
    public async Task Bad_filters_and_pages_are_refused_with_the_field_named()
    {
        var broker = await api.SignedInAsync(Broker);
        foreach (var (query, field, rule) in new[]
        {
            ("queue=everything", "queue", "unknown-value"), ("sort=cheapest", "sort", "unknown-value"), ("age=1y", "age", "unknown-value"),
            ("techField=Magic", "techField", "unknown-value"), ("province=北京", "province", "unknown-value"), ("stage=Won", "stage", "unknown-value"),
            ("minScore=101", "minScore", "range"), ("minScore=80&maxScore=20", "minScore", "range"), ("size=101", "size", "range"),
        })
        {
            var response = await broker.GetAsync($"{Path}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await response.BodyAsync()).GetProperty("errors")[0];
            Assert.Equal((field, rule), (error.GetProperty("field").GetString(), error.GetProperty("rule").GetString()));
        }
        var deep = await broker.GetAsync($"{Path}?page=11&size=100"); // the listing cap: never past the first 1000 rows
        Assert.Equal("page-too-deep", (await deep.BodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_queue_pages_filters_sorts_and_counts_what_is_open_unclaimed_mine_and_quiet()
    {
        var university = await api.SignedInAsync("demo-university");
        var enterprise = await api.SignedInAsync("demo-enterprise");
        var leads = await QueueLeads.CreateAsync(university, enterprise,
        [
            new(0, "NewEnergy", "广西", "广西"),
            new(1, "NewEnergy", "海南", "广西"),
            new(2, "BioMedicine", "广西", "海南"),
            new(3, "BioMedicine", "海南", "海南", Trl: 3),
            new(4, "ElectronicInformation", "广西", "广西", Trl: 4),
            new(5, "AdvancedManufacturing", "海南", "广西"),
        ]);
        var l = leads.OrderBy(x => x.Plan.Group).Select(x => x.Deal).ToArray();
        var broker = await api.SignedInAsync(Broker);
        Assert.Equal(HttpStatusCode.OK, (await broker.PostAsJsonAsync($"/api/deals/{l[1]}/claim", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await broker.PostAsJsonAsync($"/api/deals/{l[5]}/claim", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await broker.PostAsJsonAsync($"/api/deals/{l[5]}/close", new { reason = "双方未达成一致" })).StatusCode);
        // l[4] became a lead 3 days ago, l[2] 10 days ago and l[3] 40 days ago, none touched since.
        await QueueLeads.AgeAsync(api.Database.ConnectionString, [l[4]], TimeSpan.FromDays(3));
        await QueueLeads.AgeAsync(api.Database.ConnectionString, [l[2]], TimeSpan.FromDays(10));
        await QueueLeads.AgeAsync(api.Database.ConnectionString, [l[3]], TimeSpan.FromDays(40));

        var all = await PageAsync(broker);
        Assert.Equal(6, all.GetProperty("total").GetInt32());
        var counts = all.GetProperty("counts");
        Assert.Equal((5, 4, 1, 2), (counts.GetProperty("open").GetInt32(), counts.GetProperty("unclaimed").GetInt32(),
            counts.GetProperty("mine").GetInt32(), counts.GetProperty("quiet").GetInt32()));
        var byField = all.GetProperty("openByField");
        Assert.Equal((2, 2, 1), (byField.GetProperty("NewEnergy").GetInt32(), byField.GetProperty("BioMedicine").GetInt32(),
            byField.GetProperty("ElectronicInformation").GetInt32()));
        Assert.False(byField.TryGetProperty("AdvancedManufacturing", out _)); // closed: not open work

        // Names, never ids, for what a person reads; whether this viewer may claim, decided here.
        var rows = all.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        var claimed = rows[l[1]];
        Assert.Equal("北部湾技术经纪人", claimed.GetProperty("names").GetProperty(claimed.GetProperty("claimedBy").GetString()!).GetString());
        Assert.Equal("演示大学（江苏）", claimed.GetProperty("names").GetProperty("org-demo-university").GetString());
        Assert.Equal("演示科技有限公司（广东）", claimed.GetProperty("names").GetProperty("org-demo-enterprise").GetString());
        Assert.Equal(("海南", "广西", "NewEnergy"), (claimed.GetProperty("achievementProvince").GetString(),
            claimed.GetProperty("demandProvince").GetString(), claimed.GetProperty("techField").GetString()));
        Assert.Equal(new[] { l[0], l[2], l[3], l[4] }.Order(),
            rows.Values.Where(r => r.GetProperty("mayClaim").GetBoolean()).Select(r => r.GetProperty("id").GetString()!).Order());
        Assert.All((await PageAsync(await api.SignedInAsync("demo-national"))).GetProperty("items").EnumerateArray(),
            r => Assert.False(r.GetProperty("mayClaim").GetBoolean())); // the national level watches; brokers claim

        Assert.Equal(new[] { l[0], l[2], l[3], l[4] }.Order(), Ids(await PageAsync(broker, "queue=unclaimed")).Order());
        Assert.Equal([l[1]], Ids(await PageAsync(broker, "queue=mine")));
        Assert.Equal(new[] { l[0], l[1], l[2], l[3], l[4] }.Order(), Ids(await PageAsync(broker, "queue=open")).Order());
        Assert.Equal(new[] { l[2], l[3] }.Order(), Ids(await PageAsync(broker, "queue=quiet")).Order());
        Assert.Equal([l[5]], Ids(await PageAsync(broker, "stage=Closed")));
        Assert.Equal(new[] { l[2], l[3] }.Order(), Ids(await PageAsync(broker, "techField=BioMedicine")).Order());
        Assert.Equal(new[] { l[1], l[2], l[3], l[5] }.Order(), Ids(await PageAsync(broker, "province=海南")).Order());
        Assert.Equal(new[] { l[0], l[1], l[5] }.Order(), Ids(await PageAsync(broker, "age=today")).Order());
        Assert.Equal(new[] { l[0], l[1], l[4], l[5] }.Order(), Ids(await PageAsync(broker, "age=7d")).Order());
        Assert.Equal(new[] { l[0], l[1], l[2], l[4], l[5] }.Order(), Ids(await PageAsync(broker, "age=30d")).Order());
        Assert.Equal(new[] { l[2], l[3] }.Order(), Ids(await PageAsync(broker, "queue=unclaimed&techField=BioMedicine&province=海南")).Order());
        Assert.Equal([l[2]], Ids(await PageAsync(broker, "queue=unclaimed&techField=BioMedicine&province=海南&age=30d")));

        // Scores: the filter keeps exactly the rows within the range, whatever the matcher scored.
        var scores = rows.Values.ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("score").GetInt32());
        var middle = scores.Values.Order().ElementAt(3);
        Assert.Equal(scores.Where(s => s.Value >= middle).Select(s => s.Key).Order(), Ids(await PageAsync(broker, $"minScore={middle}")).Order());
        Assert.Equal(scores.Where(s => s.Value <= middle).Select(s => s.Key).Order(), Ids(await PageAsync(broker, $"maxScore={middle}")).Order());
        Assert.Equal(scores.Where(s => s.Value == middle).Select(s => s.Key).Order(),
            Ids(await PageAsync(broker, $"minScore={middle}&maxScore={middle}")).Order());

        // Sorts: best score first; newest lead first (the default); longest waiting since the last step first.
        var byScore = Ids(await PageAsync(broker, "sort=score"));
        Assert.Equal(byScore.Select(id => scores[id]), byScore.Select(id => scores[id]).OrderDescending());
        var newest = Ids(await PageAsync(broker, "sort=newest"));
        Assert.Equal(Ids(all), newest);
        Assert.Equal([l[4], l[2], l[3]], newest[^3..]);
        Assert.Equal([l[3], l[2], l[4]], Ids(await PageAsync(broker, "sort=oldest"))[..3]);

        // Pages of two: every row once, in order, with the same total; past the end, none.
        var paged = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var p = await PageAsync(broker, $"size=2&page={page}");
            Assert.Equal((6, page, 2), (p.GetProperty("total").GetInt32(), p.GetProperty("page").GetInt32(), p.GetProperty("size").GetInt32()));
            paged.AddRange(Ids(p));
        }
        Assert.Equal(newest, paged);
        var beyond = await PageAsync(broker, "size=2&page=4");
        Assert.Equal((0, 6), (beyond.GetProperty("items").GetArrayLength(), beyond.GetProperty("total").GetInt32()));

        // A claim from the queue moves the counts: one fewer unclaimed, one more of mine.
        Assert.Equal(HttpStatusCode.OK, (await broker.PostAsJsonAsync($"/api/deals/{l[0]}/claim", new { })).StatusCode);
        var after = (await PageAsync(broker, "queue=mine")).GetProperty("counts");
        Assert.Equal((5, 3, 2), (after.GetProperty("open").GetInt32(), after.GetProperty("unclaimed").GetInt32(), after.GetProperty("mine").GetInt32()));
    }
}
