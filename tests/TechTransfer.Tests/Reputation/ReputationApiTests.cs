using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using TechTransfer.Demo;
using TechTransfer.Matching;
using TechTransfer.Reputation;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Reputation;

/// <summary>
/// 信誉体系 through the real host and PostgreSQL, from a scripted history between a fresh university, a fresh enterprise
/// and a fresh broker of their center: every indicator and both grades exactly; the parties' ratings of the broker
/// (when, once, by whom, who sees them); who may read a broker's record.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReputationApiTests(ApiFixture api)
{
    static readonly object Contract = new
    {
        type = "License", contractAmount = 120m, techTransactionAmount = 100m, seller = "测试大学", buyer = "测试企业",
        signingDate = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"), note = "普通许可三年",
    };

    /// <summary>The scripted history's cast and its six deals, A–F.</summary>
    internal sealed record History(FreshOrganization University, FreshOrganization Enterprise, string Broker, string BrokerId, Dictionary<char, string> Deals);

    /// <summary>
    /// Between a fresh university and a fresh enterprise (浙江, so the 长三角 center's) and a fresh broker of that center:
    /// A: the enterprise asks, the university answers; claimed, negotiated, signed and registered (120 万元).
    /// B: the same, claimed and then ended by the broker.   E: the same, claimed, still open.
    /// C and F: the enterprise asks, the university never answers.   D: the university asks, the enterprise answers.
    /// </summary>
    internal static async Task<History> ScriptedHistoryAsync(Func<string, Task<HttpClient>> signIn)
    {
        var university = await FreshOrganization.CreateAsync(signIn, "University");
        var enterprise = await FreshOrganization.CreateAsync(signIn, "Enterprise");
        var broker = "t-broker-" + Guid.NewGuid().ToString("N")[..8];
        var appointed = await (await signIn("demo-national")).PostAsJsonAsync("/api/organizations/org-center-yangtze-delta/accounts",
            new { account = broker, displayName = "测试经纪人", role = "Broker", password = DemoSeeder.Password });
        Assert.Equal(HttpStatusCode.Created, appointed.StatusCode);
        var brokerId = (await appointed.BodyAsync()).GetProperty("accountId").GetString()!;
        string U = university.Account, E = enterprise.Account;
        async Task PostAsync(string account, string path, object? body = null) => await OkAsync(signIn, account, HttpMethod.Post, path, body ?? new { });

        var deals = new Dictionary<char, string>();
        foreach (var key in "ABCDEF") deals[key] = await MatchAsync(signIn, university, enterprise);
        foreach (var key in "ABCEF") await PostAsync(E, $"/api/deals/{deals[key]}/interest");
        foreach (var key in "ABE") await PostAsync(U, $"/api/deals/{deals[key]}/interest");
        await PostAsync(U, $"/api/deals/{deals['D']}/interest");
        await PostAsync(E, $"/api/deals/{deals['D']}/interest");
        foreach (var key in "ABE") await PostAsync(broker, $"/api/deals/{deals[key]}/claim");
        await PostAsync(broker, $"/api/deals/{deals['A']}/stage", new { stage = "Negotiating" });
        await PostAsync(broker, $"/api/deals/{deals['A']}/stage", new { stage = "ContractSigned" });
        await PostAsync(broker, $"/api/deals/{deals['A']}/contract", Contract);
        await PostAsync(broker, $"/api/deals/{deals['B']}/close", new { reason = "价格未谈拢" });
        return new History(university, enterprise, broker, brokerId, deals);
    }

    static async Task<JsonElement> OkAsync(Func<string, Task<HttpClient>> signIn, string account, HttpMethod method, string path, object? body = null)
    {
        var client = await signIn(account);
        var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) });
        Assert.True(response.IsSuccessStatusCode, $"{account} {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    Task<JsonElement> OkAsync(string account, HttpMethod method, string path, object? body = null) => OkAsync(api.SignedInAsync, account, method, path, body);

    /// <summary>A demand of the enterprise and a fitting achievement of the university; the match's id.</summary>
    internal static async Task<string> MatchAsync(Func<string, Task<HttpClient>> signIn, FreshOrganization university, FreshOrganization enterprise)
    {
        // Two words of their own in both titles and keyword lists: the pair matches whatever else the index holds (a
        // portal test's nearly empty index makes every shared common word look like boilerplate).
        string word = Samples.UniqueWord(), other = Samples.UniqueWord();
        var demand = await (await signIn(enterprise.Account)).CreatePublishedAsync("/api/demands",
            Samples.Demand($"寻求{word} {other} 膜分离提纯技术").With("keywords", new JsonArray(word, other, "膜分离")).With("province", "浙江"));
        var achievement = await (await signIn(university.Account)).CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} {other} 陶瓷膜分离提纯工艺").With("keywords", new JsonArray(word, other, "膜分离", "陶瓷膜")).With("province", "浙江"));
        var match = ListingMatcher.MatchId(achievement, demand);
        // The pair shares a unique keyword, so it matches; on a busy host the stored match may follow the publish by a moment.
        var client = await signIn(enterprise.Account);
        await Eventually.TrueAsync(async () => (await client.GetAsync($"/api/deals/{match}")).IsSuccessStatusCode, "the pair's match", seconds: 15);
        return match;
    }

    static double? Value(JsonElement report, string name) =>
        report.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("name").GetString() == name).GetProperty("value") is var v
        && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    static int Evidence(JsonElement report, string name) =>
        report.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("name").GetString() == name).GetProperty("evidence").GetInt32();

    [Fact]
    public async Task A_scripted_history_gives_each_indicator_and_grade_exactly_and_the_parties_rate_the_broker_once_after_the_deal()
    {
        var (university, enterprise, broker, brokerId, deals) = await ScriptedHistoryAsync(api.SignedInAsync);
        string U = university.Account, E = enterprise.Account;

        // Ratings: parties only, once the deal is over, once per side, 1–5.
        var client = await api.SignedInAsync(U);
        async Task<(HttpStatusCode, string?)> RateAsync(string account, char deal, object body)
        {
            var response = await (await api.SignedInAsync(account)).PostAsJsonAsync($"/api/deals/{deals[deal]}/rating", body);
            return (response.StatusCode, response.IsSuccessStatusCode ? null : (await response.BodyAsync()).GetProperty("code").GetString());
        }
        Assert.Equal((HttpStatusCode.Conflict, "invalid-transition"), await RateAsync(U, 'E', new { stars = 5 })); // still open
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), await RateAsync(broker, 'A', new { stars = 5 }));
        Assert.Equal((HttpStatusCode.BadRequest, "validation"), await RateAsync(U, 'A', new { stars = 6 }));
        Assert.Equal((HttpStatusCode.OK, (string?)null), await RateAsync(U, 'A', new { stars = 5, comment = "牵线及时，条款把关细致" }));
        Assert.Equal((HttpStatusCode.Conflict, "already-rated"), await RateAsync(U, 'A', new { stars = 1 }));
        Assert.Equal((HttpStatusCode.OK, (string?)null), await RateAsync(E, 'A', new { stars = 3 }));
        var seen = await OkAsync(U, HttpMethod.Get, $"/api/deals/{deals['A']}");
        Assert.Equal([5], seen.GetProperty("ratings").EnumerateArray().Select(r => r.GetProperty("stars").GetInt32())); // its own only
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("mayRateAs").ValueKind);
        var center = await OkAsync(broker, HttpMethod.Get, $"/api/deals/{deals['A']}");
        Assert.Equal([3, 5], center.GetProperty("ratings").EnumerateArray().Select(r => r.GetProperty("stars").GetInt32()).Order());
        Assert.Equal("demand", (await OkAsync(E, HttpMethod.Get, $"/api/deals/{deals['B']}")).GetProperty("mayRateAs").GetString());

        // The university: asked 5 times (A B C E F), answered 3; leads A B D E; 1 of 2 ended deals signed; 1 contract of
        // 120 万元; 6 fresh listings. 100 × (0.3 × 0.6 + 0.15 + 0.3 × 0.5 + 0.1 + 0.15) = 73: B.
        var seller = await (await api.Host.CreateClient().GetAsync($"/api/organizations/{university.Id}/credit")).BodyAsync(); // public
        Assert.Equal(("B", 73, CreditFormula.Version), (seller.GetProperty("grade").GetString(), seller.GetProperty("score").GetInt32(),
            seller.GetProperty("formulaVersion").GetString()));
        Assert.Equal((60.0, 5), (Value(seller, "answeredShare"), Evidence(seller, "answeredShare")));
        Assert.InRange(Value(seller, "medianAnswerHours")!.Value, 0, 0.1);
        Assert.Equal((1.0, 50.0, 1.0, 0.0), (Value(seller, "dealsSigned"), Value(seller, "signedShare"), Value(seller, "dealsTerminated"),
            Value(seller, "tradesNotCompleted")));
        Assert.Equal((1.0, 120.0, 100.0, 6), (Value(seller, "contractsRegistered"), Value(seller, "contractAmount"), Value(seller, "freshListings"),
            Evidence(seller, "freshListings")));
        Assert.NotEqual(JsonValueKind.Null, seller.GetProperty("since").ValueKind);

        // The enterprise: asked once (D) and answered; otherwise as the university. 100 × (0.3 + 0.15 + 0.15 + 0.1 + 0.15) = 85: A.
        var buyer = await OkAsync(E, HttpMethod.Get, $"/api/organizations/{enterprise.Id}/credit");
        Assert.Equal(("A", 85), (buyer.GetProperty("grade").GetString(), buyer.GetProperty("score").GetInt32()));
        Assert.Equal((100.0, 1), (Value(buyer, "answeredShare"), Evidence(buyer, "answeredShare")));

        // The broker: claimed A B E; 1 of 2 ended registered; none went stale; minutes per stage; stars 5 and 3 (0.75).
        // 100 × (0.4 × 0.5 + 0.25 + 0.15 + 0.2 × 0.75) = 75: B.
        var record = await OkAsync("demo-national", HttpMethod.Get, $"/api/brokers/{brokerId}/credit");
        Assert.Equal(("B", 75), (record.GetProperty("grade").GetString(), record.GetProperty("score").GetInt32()));
        Assert.Equal((3.0, 1.0, 50.0, 0.0), (Value(record, "leadsClaimed"), Value(record, "dealsRegistered"), Value(record, "registeredShare"),
            Value(record, "wentStaleShare")));
        Assert.Equal((4.0, 2), (Value(record, "averageStars"), Evidence(record, "averageStars")));
        Assert.Equal((1.0, 120.0), (Value(record, "contractsRegistered"), Value(record, "contractAmount")));
        Assert.InRange(Value(record, "medianDaysPerStage")!.Value, 0, 0.1);
        Assert.Equal("测试经纪人", record.GetProperty("names").GetProperty(brokerId).GetString());

        // Who may read a broker's record: the broker, the centers' staff, the national level; not a party; 404 for a non-broker.
        Assert.Equal(HttpStatusCode.OK, (await (await api.SignedInAsync(broker)).GetAsync($"/api/brokers/{brokerId}/credit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await api.SignedInAsync("demo-broker-central")).GetAsync($"/api/brokers/{brokerId}/credit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/brokers/{brokerId}/credit")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Host.CreateClient().GetAsync($"/api/brokers/{brokerId}/credit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await api.SignedInAsync("demo-national")).GetAsync($"/api/brokers/{university.AccountId}/credit")).StatusCode);

        // As before migration 017 (no trail rows), then the migration's fill from the deals' stored state: the same report.
        var migration = TechTransfer.Database.Migrator.Scripts().Single(s => s.Name == "TechTransfer/017-reputation.sql").Sql;
        await using var db = Npgsql.NpgsqlDataSource.Create(api.Database.ConnectionString);
        await using (var delete = db.CreateCommand("DELETE FROM tt_deal_event WHERE deal_id = ANY($1)"))
        {
            delete.Parameters.Add(new() { Value = deals.Values.ToArray() });
            Assert.Equal(19, await delete.ExecuteNonQueryAsync()); // A 8 (with the two ratings), B 4, C 1, D 2, E 3, F 1
        }
        Assert.Equal(0, Evidence(await (await api.Host.CreateClient().GetAsync($"/api/organizations/{university.Id}/credit")).BodyAsync(), "answeredShare"));
        await using (var fill = db.CreateCommand(migration[migration.IndexOf("INSERT INTO tt_deal_event", StringComparison.Ordinal)..]))
            await fill.ExecuteNonQueryAsync();
        var refilled = await (await api.Host.CreateClient().GetAsync($"/api/organizations/{university.Id}/credit")).BodyAsync();
        Assert.Equal((seller.GetProperty("grade").GetString(), seller.GetProperty("score").GetInt32(), seller.GetProperty("indicators").GetRawText()),
            (refilled.GetProperty("grade").GetString(), refilled.GetProperty("score").GetInt32(), refilled.GetProperty("indicators").GetRawText()));
        // PostgreSQL rounds the state's 100 ns ticks to microseconds where the driver truncates them.
        Assert.InRange((refilled.GetProperty("since").GetDateTimeOffset() - seller.GetProperty("since").GetDateTimeOffset()).Duration(),
            TimeSpan.Zero, TimeSpan.FromTicks(10));
    }

    [Fact]
    public async Task A_contested_entry_upheld_by_the_center_leaves_the_record_and_a_rejected_one_stays_all_on_the_trail()
    {
        var (university, enterprise, broker, brokerId, deals) = await ScriptedHistoryAsync(api.SignedInAsync);
        string U = university.Account, E = enterprise.Account;
        async Task<(HttpStatusCode, string?)> PostAsync(string account, string path, object body)
        {
            var response = await (await api.SignedInAsync(account)).PostAsJsonAsync(path, body);
            return (response.StatusCode, response.IsSuccessStatusCode ? null : (await response.BodyAsync()).GetProperty("code").GetString());
        }
        var ok = (HttpStatusCode.OK, (string?)null);
        string B = $"/api/deals/{deals['B']}", C = $"/api/deals/{deals['C']}";

        // Filing: a party for its organization, the leading broker for themself; once each; a reason is required.
        Assert.Equal("achievement", (await OkAsync(U, HttpMethod.Get, B)).GetProperty("mayContestAs").GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "validation"), await PostAsync(U, $"{B}/contests", new { reason = " " }));
        Assert.Equal(ok, await PostAsync(U, $"{B}/contests", new { reason = "需求方预算取消，终止原因不在我方" }));
        Assert.Equal((HttpStatusCode.Conflict, "already-contested"), await PostAsync(U, $"{B}/contests", new { reason = "再次申诉" }));
        Assert.Equal(ok, await PostAsync(broker, $"{B}/contests", new { reason = "双方均已确认终止" }));
        var outsider = await FreshOrganization.CreateAsync(api.SignedInAsync, "Enterprise");
        Assert.Equal((HttpStatusCode.NotFound, "not-found"), await PostAsync(outsider.Account, $"{B}/contests", new { reason = "无关" }));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), await PostAsync("demo-center", $"{B}/contests", new { reason = "中心不是当事方" }));
        Assert.Equal(ok, await PostAsync(E, $"{C}/contests", new { reason = "对方未响应，不应计入" })); // nobody leads C

        // The queue: the center that leads the deal (for C, nobody leads it: either party's center), and national.
        async Task<string[]> QueueAsync(string account) =>
            [.. (await OkAsync(account, HttpMethod.Get, "/api/credit-contests")).GetProperty("items").EnumerateArray()
                .Where(c => deals.ContainsValue(c.GetProperty("dealId").GetString()!))
                .Select(c => $"{c.GetProperty("dealId").GetString()}/{c.GetProperty("subject").GetString()}").Order()];
        string[] open = [.. new[] { $"{deals['B']}/achievement", $"{deals['B']}/broker", $"{deals['C']}/demand" }.Order()];
        Assert.Equal(open, await QueueAsync("demo-center"));
        Assert.Equal(open, await QueueAsync("demo-national"));
        Assert.Empty(await QueueAsync("demo-center-central"));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.SignedInAsync(broker)).GetAsync("/api/credit-contests")).StatusCode);

        // Deciding: the center's admin or national; not a broker; another center does not even see the deal; once; with a note.
        var before = await (await api.Host.CreateClient().GetAsync($"/api/organizations/{university.Id}/credit")).BodyAsync();
        Assert.Equal(("B", 73, 1.0), (before.GetProperty("grade").GetString(), before.GetProperty("score").GetInt32(), Value(before, "dealsTerminated")));
        // No ratings here: 100 × (0.4 × 0.5 + 0.25 + 0.15 + 0.2 × 0.5) = 70.
        Assert.Equal(70, (await OkAsync("demo-national", HttpMethod.Get, $"/api/brokers/{brokerId}/credit")).GetProperty("score").GetInt32());
        var uphold = new { upheld = true, note = "经核实，终止系需求方预算取消" };
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), await PostAsync(broker, $"{B}/contests/achievement/decision", uphold));
        Assert.Equal((HttpStatusCode.NotFound, "not-found"), await PostAsync("demo-center-central", $"{B}/contests/achievement/decision", uphold));
        Assert.Equal((HttpStatusCode.BadRequest, "validation"), await PostAsync("demo-center", $"{B}/contests/achievement/decision", new { upheld = true }));
        Assert.Equal((HttpStatusCode.Conflict, "invalid-transition"), await PostAsync("demo-center", $"{B}/contests/demand/decision", uphold)); // none filed
        Assert.Equal(ok, await PostAsync("demo-center", $"{B}/contests/achievement/decision", uphold));
        Assert.Equal((HttpStatusCode.Conflict, "invalid-transition"), await PostAsync("demo-national", $"{B}/contests/achievement/decision",
            new { upheld = false, note = "改判" }));
        // The enterprise gives B one star: 100 × (0.2 + 0.25 + 0.15 + 0) = 60. National upholds the broker's contest: B and its
        // rating leave the broker's record, which keeps A and E, too few deals for a grade.
        Assert.Equal(ok, await PostAsync(E, $"{B}/rating", new { stars = 1 }));
        Assert.Equal(60, (await OkAsync("demo-national", HttpMethod.Get, $"/api/brokers/{brokerId}/credit")).GetProperty("score").GetInt32());
        Assert.Equal(ok, await PostAsync("demo-national", $"{B}/contests/broker/decision", new { upheld = true, note = "终止系双方协商一致" }));
        var brokerAfter = await OkAsync("demo-national", HttpMethod.Get, $"/api/brokers/{brokerId}/credit");
        Assert.Equal((CreditFormula.Newcomer, 2.0, 100.0, 0), (brokerAfter.GetProperty("grade").GetString(), Value(brokerAfter, "leadsClaimed"),
            Value(brokerAfter, "registeredShare"), Evidence(brokerAfter, "averageStars")));

        // Upheld: the whole of B leaves the university's record (asked 4 times, answered 2; 1 of 1 ended deals signed:
        // 100 × (0.3 × 0.5 + 0.15 + 0.3 + 0.1 + 0.15) = 85, A), and still counts for the enterprise, which did not contest it.
        var after = await (await api.Host.CreateClient().GetAsync($"/api/organizations/{university.Id}/credit")).BodyAsync();
        Assert.Equal(("A", 85, 0.0, 100.0, 50.0), (after.GetProperty("grade").GetString(), after.GetProperty("score").GetInt32(),
            Value(after, "dealsTerminated"), Value(after, "signedShare"), Value(after, "answeredShare")));
        var buyer = await OkAsync(E, HttpMethod.Get, $"/api/organizations/{enterprise.Id}/credit");
        Assert.Equal(1.0, Value(buyer, "dealsTerminated"));
        Assert.Equal([$"{deals['C']}/demand"], await QueueAsync("demo-center"));
        // Rejected: the enterprise's record is as it was, and nothing waits any more.
        Assert.Equal(ok, await PostAsync("demo-center", $"{C}/contests/demand/decision", new { upheld = false, note = "C 照常计入" }));
        Assert.Equal(buyer.GetRawText(), (await OkAsync(E, HttpMethod.Get, $"/api/organizations/{enterprise.Id}/credit")).GetRawText());
        Assert.Empty(await QueueAsync("demo-center"));

        // On the trail and in the deal's view, for everyone who sees the deal; nobody may contest twice.
        var seen = await OkAsync(E, HttpMethod.Get, B);
        Assert.Equal(["contest:achievement", "contest:broker", "contest-upheld:achievement", "contest-upheld:broker"],
            seen.GetProperty("trail").EnumerateArray().Select(e => e.GetProperty("action").GetString()).Where(a => a!.StartsWith("contest")));
        Assert.Equal([("achievement", "upheld"), ("broker", "upheld")], seen.GetProperty("contests").EnumerateArray()
            .Select(c => (c.GetProperty("subject").GetString(), c.GetProperty("outcome").GetString())));
        Assert.Equal("demand", seen.GetProperty("mayContestAs").GetString()); // the enterprise has not contested B
        Assert.Equal(JsonValueKind.Null, (await OkAsync(U, HttpMethod.Get, B)).GetProperty("mayContestAs").ValueKind);
        Assert.False(seen.GetProperty("mayDecideContests").GetBoolean());
        Assert.True((await OkAsync("demo-center", HttpMethod.Get, B)).GetProperty("mayDecideContests").GetBoolean());
    }

    [Fact]
    public async Task The_dashboards_list_each_centers_brokers_and_organizations_national_every_center_and_a_center_its_own()
    {
        var (university, enterprise, broker, brokerId, deals) = await ScriptedHistoryAsync(api.SignedInAsync);
        await OkAsync(enterprise.Account, HttpMethod.Post, $"/api/deals/{deals['C']}/contests", new { reason = "对方未响应，不应计入" });

        var national = await OkAsync("demo-national", HttpMethod.Get, "/api/credit-by-center");
        var centers = national.GetProperty("centers").EnumerateArray().ToList();
        var regions = await (await api.Host.CreateClient().GetAsync("/api/regions")).BodyAsync();
        Assert.Equal(regions.GetArrayLength(), centers.Count);
        var delta = centers.Single(c => c.GetProperty("code").GetString() == "yangtze-delta");
        // The scripted broker is one of the center's brokers, graded B (75 in the first test's terms, here 70: no stars).
        var mine = delta.GetProperty("brokers").EnumerateArray().Single(b => b.GetProperty("accountId").GetString() == brokerId);
        Assert.Equal(("B", 70), (mine.GetProperty("grade").GetString(), mine.GetProperty("score").GetInt32()));
        Assert.Equal("测试经纪人", national.GetProperty("names").GetProperty(brokerId).GetString());
        // The center's indicators take every broker's evidence: at least this broker's 3 claims and 1 contract.
        double Indicator(JsonElement center, string name, string part) =>
            center.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("name").GetString() == name).GetProperty(part).GetDouble();
        Assert.True(Indicator(delta, "leadsClaimed", "value") >= 3);
        Assert.True(Indicator(delta, "contractsRegistered", "evidence") >= 1);
        Assert.True(delta.GetProperty("openContests").GetInt32() >= 1);
        Assert.True(delta.GetProperty("organizationGrades").EnumerateObject().Sum(g => g.Value.GetInt32()) >= 1);

        // A center's staff: their own center only. Parties and anonymous callers: none.
        var own = await OkAsync(broker, HttpMethod.Get, "/api/credit-by-center");
        Assert.Equal(["yangtze-delta"], own.GetProperty("centers").EnumerateArray().Select(c => c.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.SignedInAsync(university.Account)).GetAsync("/api/credit-by-center")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Host.CreateClient().GetAsync("/api/credit-by-center")).StatusCode);
    }

    [Fact]
    public async Task An_organization_without_a_history_is_a_newcomer_and_one_that_may_not_be_seen_has_no_credit()
    {
        var fresh = await FreshOrganization.CreateAsync(api.SignedInAsync, "Enterprise");
        var report = await (await api.Host.CreateClient().GetAsync($"/api/organizations/{fresh.Id}/credit")).BodyAsync();
        Assert.Equal((CreditFormula.Newcomer, JsonValueKind.Null), (report.GetProperty("grade").GetString(), report.GetProperty("score").ValueKind));
        Assert.All(report.GetProperty("indicators").EnumerateArray(), i => Assert.Equal(0, i.GetProperty("evidence").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Host.CreateClient().GetAsync("/api/organizations/org-no-such/credit")).StatusCode);
    }

    [Fact]
    public async Task Grades_for_live_cards_come_in_one_request_for_signed_in_people_and_bad_ids_get_a_problem()
    {
        var history = await ScriptedHistoryAsync(api.SignedInAsync);
        var client = await api.SignedInAsync(history.Enterprise.Account);
        var ids = $"{history.University.Id},{history.Enterprise.Id}";

        var grades = (await OkAsync(history.Enterprise.Account, HttpMethod.Get, $"/api/organizations/grades?ids={ids}")).GetProperty("grades");
        Assert.Equal(("B", "A"), (grades.GetProperty(history.University.Id).GetString(), grades.GetProperty(history.Enterprise.Id).GetString()));

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync($"/api/organizations/grades?ids={ids}")).StatusCode);
        foreach (var bad in new[] { "", "acct-demo-university", string.Join(",", Enumerable.Range(0, 51).Select(i => $"org-x{i}")) })
        {
            var response = await client.GetAsync($"/api/organizations/grades?ids={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.BodyAsync();
            Assert.Equal("ids", problem.GetProperty("errors")[0].GetProperty("field").GetString());
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("errors")[0].GetProperty("zh").GetString()));
        }
    }
}
