using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TechTransfer.Matching;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Deals;

/// <summary>
/// The brokering pipeline through the real host: interest → lead (contacts appear) → one broker's claim → stages,
/// each step in the audit trail; who may do and see what.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DealApiTests(ApiFixture api)
{
    // demo-university: 江苏 → yangtze-delta (demo-broker); demo-enterprise: 广东 → greater-bay (demo-broker-greater-bay).
    const string University = "demo-university", Enterprise = "demo-enterprise", Broker = "demo-broker", OtherSideBroker = "demo-broker-greater-bay",
        ThirdBroker = "demo-broker-central", National = "demo-national";

    /// <summary>A published demand and a fitting achievement; returns the match (deal) id.</summary>
    internal static async Task<string> MatchAsync(Func<string, Task<HttpClient>> signIn)
    {
        var word = Samples.UniqueWord();
        var demand = await (await signIn(Enterprise)).CreatePublishedAsync("/api/demands",
            Samples.Demand($"寻求{word}极片缺陷检测技术").With("keywords", new JsonArray(word, "极片")));
        var achievement = await (await signIn(University)).CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} 锂电池极片缺陷在线检测方法").With("keywords", new JsonArray(word, "极片", "缺陷检测")));
        return ListingMatcher.MatchId(achievement, demand);
    }

    async Task<JsonElement> PostOkAsync(string account, string path, object? body = null)
    {
        var response = await (await api.SignedInAsync(account)).PostAsJsonAsync(path, body ?? new { });
        Assert.True(response.IsSuccessStatusCode, $"{account} POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    async Task<string> LeadAsync()
    {
        var deal = await MatchAsync(api.SignedInAsync);
        await PostOkAsync(Enterprise, $"/api/deals/{deal}/interest", new { note = "希望尽快对接" });
        var lead = await PostOkAsync(University, $"/api/deals/{deal}/interest");
        Assert.Equal("Lead", lead.GetProperty("stage").GetString());
        return deal;
    }

    async Task<(HttpStatusCode Status, JsonElement Body)> GetDealAsync(string account, string deal)
    {
        var response = await (await api.SignedInAsync(account)).GetAsync($"/api/deals/{deal}");
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? await response.BodyAsync() : default);
    }

    [Fact]
    public async Task Contacts_appear_only_when_both_parties_are_interested_and_only_to_parties_and_responsible_brokers()
    {
        var deal = await MatchAsync(api.SignedInAsync);
        var (status, before) = await GetDealAsync(Enterprise, deal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("contacts").ValueKind);

        var one = await PostOkAsync(Enterprise, $"/api/deals/{deal}/interest");
        Assert.Equal("Matched", one.GetProperty("stage").GetString());
        Assert.Equal(JsonValueKind.Null, one.GetProperty("contacts").ValueKind);
        var achievementId = before.GetProperty("facts").GetProperty("achievementId").GetString();
        var listing = await (await api.SignedInAsync(Enterprise)).GetFromJsonAsync<JsonElement>($"/api/achievements/{achievementId}");
        Assert.Equal(JsonValueKind.Null, listing.GetProperty("contact").ValueKind); // the listing never shows the other side's contact

        await PostOkAsync(University, $"/api/deals/{deal}/interest");
        foreach (var account in new[] { Enterprise, University, Broker, OtherSideBroker })
        {
            var (ok, view) = await GetDealAsync(account, deal);
            Assert.Equal(HttpStatusCode.OK, ok);
            var contacts = view.GetProperty("contacts");
            Assert.Equal("王老师", contacts.GetProperty("achievement").GetProperty("name").GetString());
            Assert.Equal("李工", contacts.GetProperty("demand").GetProperty("name").GetString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await GetDealAsync(ThirdBroker, deal)).Status); // another center: not even the deal
        var (_, national) = await GetDealAsync(National, deal);
        Assert.Equal(JsonValueKind.Null, national.GetProperty("contacts").ValueKind); // statistics, not contacts
        var queue = await (await api.SignedInAsync(Broker)).GetFromJsonAsync<JsonElement>("/api/regions/yangtze-delta/leads");
        Assert.DoesNotContain("王老师", queue.GetRawText());
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), row => row.GetProperty("id").GetString() == deal);
    }

    [Fact]
    public async Task Of_a_hundred_concurrent_claims_by_brokers_of_both_centers_exactly_one_wins()
    {
        var deal = await LeadAsync();
        var brokers = new[] { await api.SignedInAsync(Broker), await api.SignedInAsync(OtherSideBroker) };
        var claims = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            brokers[i % 2].PostAsJsonAsync($"/api/deals/{deal}/claim", new { note = $"claim {i}" })));
        Assert.Single(claims, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(claims.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var refused = await claims.First(r => r.StatusCode == HttpStatusCode.Conflict).BodyAsync();
        Assert.Equal("already-claimed", refused.GetProperty("code").GetString());

        var (_, view) = await GetDealAsync(Broker, deal);
        Assert.Equal("Introduced", view.GetProperty("stage").GetString());
        Assert.Single(view.GetProperty("trail").EnumerateArray(), e => e.GetProperty("action").GetString() == "claim");
        var winner = view.GetProperty("claimedBy").GetString();
        Assert.Equal(winner == "acct-demo-broker" ? "yangtze-delta" : "greater-bay", view.GetProperty("leadingRegion").GetString());
    }

    [Fact]
    public async Task Only_the_leading_broker_moves_stages_in_order_and_every_move_is_in_the_trail()
    {
        var deal = await LeadAsync();
        var third = await api.SignedInAsync(ThirdBroker);
        Assert.Equal(HttpStatusCode.NotFound, (await third.PostAsJsonAsync($"/api/deals/{deal}/claim", new { })).StatusCode);
        var party = await api.SignedInAsync(Enterprise);
        Assert.Equal(HttpStatusCode.Forbidden, (await party.PostAsJsonAsync($"/api/deals/{deal}/claim", new { })).StatusCode);
        await PostOkAsync(Broker, $"/api/deals/{deal}/claim", new { note = "由长三角中心牵头" });

        foreach (var (account, expected) in new[] { (Enterprise, HttpStatusCode.Forbidden), (University, HttpStatusCode.Forbidden), (OtherSideBroker, HttpStatusCode.Forbidden) })
            Assert.Equal(expected, (await (await api.SignedInAsync(account)).PostAsJsonAsync($"/api/deals/{deal}/stage", new { stage = "Negotiating" })).StatusCode);
        var skip = await (await api.SignedInAsync(Broker)).PostAsJsonAsync($"/api/deals/{deal}/stage", new { stage = "ContractSigned" });
        Assert.Equal(HttpStatusCode.Conflict, skip.StatusCode);
        var bad = await (await api.SignedInAsync(Broker)).PostAsJsonAsync($"/api/deals/{deal}/stage", new { stage = "Registered!" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        await PostOkAsync(Broker, $"/api/deals/{deal}/stage", new { stage = "Negotiating", note = "双方已见面" });
        var signed = await PostOkAsync(Broker, $"/api/deals/{deal}/stage", new { stage = "ContractSigned", note = "合同已签" });
        Assert.Equal("ContractSigned", signed.GetProperty("stage").GetString());
        var noReason = await (await api.SignedInAsync(Broker)).PostAsJsonAsync($"/api/deals/{deal}/close", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var closed = await PostOkAsync(Broker, $"/api/deals/{deal}/close", new { reason = "企业预算调整" });
        Assert.Equal("Closed", closed.GetProperty("stage").GetString());

        var trail = closed.GetProperty("trail").EnumerateArray().ToArray();
        Assert.Equal(["interest:demand", "lead", "claim", "stage", "stage", "close"], trail.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(["acct-demo-enterprise", "acct-demo-university", "acct-demo-broker", "acct-demo-broker", "acct-demo-broker", "acct-demo-broker"],
            trail.Select(e => e.GetProperty("actor").GetString()));
        Assert.Equal("企业预算调整", trail[^1].GetProperty("note").GetString());
        Assert.True(trail.Zip(trail.Skip(1)).All(p => p.First.GetProperty("at").GetDateTimeOffset() <= p.Second.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal(HttpStatusCode.Conflict, (await (await api.SignedInAsync(Broker)).PostAsJsonAsync($"/api/deals/{deal}/close", new { reason = "again" })).StatusCode);
    }

    [Fact]
    public async Task The_leading_broker_registers_the_signed_contract_once_and_the_deal_is_registered()
    {
        var deal = await LeadAsync();
        await PostOkAsync(Broker, $"/api/deals/{deal}/claim");
        await PostOkAsync(Broker, $"/api/deals/{deal}/stage", new { stage = "Negotiating" });
        var contract = new
        {
            type = "License", contractAmount = 300m, techTransactionAmount = 280m, seller = "演示大学", buyer = "演示科技有限公司",
            signingDate = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"), note = "独占许可五年",
        };
        var broker = await api.SignedInAsync(Broker);
        Assert.Equal(HttpStatusCode.Conflict, (await broker.PostAsJsonAsync($"/api/deals/{deal}/contract", contract)).StatusCode); // not signed yet
        await PostOkAsync(Broker, $"/api/deals/{deal}/stage", new { stage = "ContractSigned" });

        var invalid = await broker.PostAsJsonAsync($"/api/deals/{deal}/contract", contract with { techTransactionAmount = 301m });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("techTransactionAmount", await invalid.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.SignedInAsync(Enterprise)).PostAsJsonAsync($"/api/deals/{deal}/contract", contract)).StatusCode);
        Assert.Equal("ContractSigned", (await GetDealAsync(Broker, deal)).Body.GetProperty("stage").GetString()); // refusals changed nothing

        var registered = await PostOkAsync(Broker, $"/api/deals/{deal}/contract", contract);
        Assert.Equal("Registered", registered.GetProperty("stage").GetString());
        var number = registered.GetProperty("contractNumber").GetString()!;
        Assert.Matches(@"^\d{12}$", number);
        Assert.Equal("register", registered.GetProperty("trail").EnumerateArray().Last().GetProperty("action").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await broker.PostAsJsonAsync($"/api/deals/{deal}/contract", contract)).StatusCode);
        var stored = await (await api.SignedInAsync(Enterprise)).GetFromJsonAsync<JsonElement>($"/api/contracts/{number}");
        Assert.Equal(280m, stored.GetProperty("content").GetProperty("techTransactionAmount").GetDecimal());
        Assert.Equal(deal, stored.GetProperty("facts").GetProperty("dealId").GetString());
    }

    [Fact]
    public async Task Interest_is_for_parties_and_can_be_withdrawn_before_the_lead()
    {
        var deal = await MatchAsync(api.SignedInAsync);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.SignedInAsync(Broker)).PostAsJsonAsync($"/api/deals/{deal}/interest", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await api.SignedInAsync(ThirdBroker)).PostAsJsonAsync($"/api/deals/{deal}/interest", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await api.SignedInAsync(Enterprise)).PostAsJsonAsync("/api/deals/mat-0000/interest", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsJsonAsync($"/api/deals/{deal}/interest", new { })).StatusCode);

        await PostOkAsync(Enterprise, $"/api/deals/{deal}/interest");
        var withdrawn = await (await api.SignedInAsync(Enterprise)).DeleteAsync($"/api/deals/{deal}/interest");
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var after = await PostOkAsync(University, $"/api/deals/{deal}/interest");
        Assert.Equal("Matched", after.GetProperty("stage").GetString()); // the enterprise withdrew: no lead, no contacts
        Assert.Equal(JsonValueKind.Null, after.GetProperty("contacts").ValueKind);
        var mine = await (await api.SignedInAsync(University)).GetFromJsonAsync<JsonElement>("/api/deals");
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), row => row.GetProperty("id").GetString() == deal);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.SignedInAsync(ThirdBroker)).GetAsync("/api/regions/yangtze-delta/leads")).StatusCode);
    }
}
