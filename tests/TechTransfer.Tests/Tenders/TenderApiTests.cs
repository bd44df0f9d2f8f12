using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using TechTransfer.Notifications;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Tenders;

/// <summary>
/// 招标 through the real host: sealed bids nobody can read before the deadline (through any API, the hall, the
/// hub or the stored events), the opening at the deadline, the award, every bidder told.
/// </summary>
[Collection(TradingCollection.Name)]
public sealed class TenderApiTests(TradingFixture trading)
{
    [Fact]
    public async Task Sealed_bids_stay_unreadable_everywhere_until_the_deadline_open_together_and_the_award_tells_every_bidder()
    {
        var enterprise = await trading.SignedInAsync("demo-enterprise"); // 广东 → greater-bay
        var demand = await enterprise.CreatePublishedAsync("/api/demands", Samples.Demand());
        var deadline = DateTimeOffset.UtcNow.AddSeconds(6);
        var created = await enterprise.PostAsJsonAsync("/api/tenders", new { demandId = demand, deadline, criteria = "技术方案 60 分，报价 30 分，工期 10 分" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var tender = (await created.BodyAsync()).GetProperty("id").GetString()!;

        // Everything any of these connections is pushed, as raw JSON.
        var pushed = new ConcurrentQueue<string>();
        var connections = new List<HubConnection>();
        foreach (var token in new[] { Token(enterprise), Token(await trading.SignedInAsync("demo-national")), Token(await trading.SignedInAsync("demo-broker-greater-bay")) })
        {
            var connection = trading.Host.HubConnection(token);
            connection.On<TradeFeed>(nameof(TradeFeed), f => pushed.Enqueue(JsonSerializer.Serialize(f)));
            connection.On<TradeNotice>(nameof(TradeNotice), n => pushed.Enqueue(JsonSerializer.Serialize(n)));
            await connection.StartAsync();
            await connection.InvokeAsync<Dictionary<string, long>>("Listen");
            await connection.InvokeAsync<long>("Watch", tender, 0L);
            connections.Add(connection);
        }

        var secret = Samples.UniqueWord();
        var bidders = new[] { ("acct-tnd-a-" + tender[^6..], "org-demo-university"), ("acct-tnd-b-" + tender[^6..], "org-demo-university-1") };
        var receipts = new List<JsonElement>();
        foreach (var (account, organization) in bidders)
        {
            var client = trading.As(account, organization, OrganizationKind.University);
            var bid = new
            {
                clientBidId = "b1", price = organization.EndsWith("-1") ? 234.567891m : 123.456789m, plan = $"方案：{secret} 采用机器视觉在线检测",
                durationDays = 180, attachments = new[] { new { name = $"{secret}-技术方案.pdf", sizeBytes = 1048576L, sha256 = (string?)null } },
            };
            var response = await client.PostAsJsonAsync($"/api/tenders/{tender}/bids", bid);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var receipt = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(secret, receipt);
            receipts.Add(JsonDocument.Parse(receipt).RootElement);
            Assert.Equal(receipt, await (await client.PostAsJsonAsync($"/api/tenders/{tender}/bids", bid)).Content.ReadAsStringAsync()); // retry
            await (await client.PostAsJsonAsync($"/api/tenders/{tender}/bids", bid with { clientBidId = "b2" })).AssertProblemAsync(HttpStatusCode.Conflict, "already-exists");
        }
        await (await enterprise.PostAsJsonAsync($"/api/tenders/{tender}/bids", new { clientBidId = "x", price = 1m, plan = "p", durationDays = 1 }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden"); // enterprises do not bid on tenders
        await (await enterprise.PostAsJsonAsync($"/api/tenders/{tender}/award", new { bidNumber = 1 })).AssertProblemAsync(HttpStatusCode.Conflict, "invalid-transition");

        // Before the deadline: every reader, every API that could show it, the events stored and pushed — counts only.
        string[] marks = [secret, "123.456789", "234.567891"];
        var centerAdmin = await CenterAdminAsync("greater-bay");      // the demand's center
        var otherCenterAdmin = await CenterAdminAsync("yangtze-delta");
        var readers = new[]
        {
            enterprise, await trading.SignedInAsync("demo-national"), await trading.SignedInAsync("demo-broker-greater-bay"),
            trading.As(bidders[0].Item1, bidders[0].Item2, OrganizationKind.University), centerAdmin, otherCenterAdmin,
        };
        foreach (var reader in readers)
            foreach (var path in new[] { $"/api/tenders/{tender}", "/api/trades", "/api/trades?kind=Tender", "/api/deals", $"/api/deals/{tender}", "/api/regions/greater-bay/leads" })
            {
                var text = await (await reader.GetAsync(path)).Content.ReadAsStringAsync();
                Assert.All(marks, m => Assert.DoesNotContain(m, text));
            }
        var sealedView = await enterprise.GetFromJsonAsync<JsonElement>($"/api/tenders/{tender}");
        Assert.Equal(("Open", 2, JsonValueKind.Null), (sealedView.GetProperty("status").GetString(), sealedView.GetProperty("bidCount").GetInt32(),
            sealedView.GetProperty("bids").ValueKind));
        Assert.True(DateTimeOffset.UtcNow < deadline, "the checks above must run before the deadline");

        // At the deadline the bids open together, for the enterprise; each bidder sees its own; everyone is told.
        var opened = await TradingFixture.UntilAsync(enterprise, $"/api/tenders/{tender}", t => t.GetProperty("status").GetString() == "Opened");
        Assert.True(DateTimeOffset.UtcNow >= deadline);
        Assert.Equal(deadline.ToUnixTimeMilliseconds(), opened.GetProperty("openedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        var bids = opened.GetProperty("bids").EnumerateArray().ToArray();
        Assert.Equal([123.456789m, 234.567891m], bids.Select(b => b.GetProperty("bid").GetProperty("price").GetDecimal()).Order());
        Assert.Contains(secret, bids[0].GetProperty("bid").GetProperty("plan").GetString());
        var own = await trading.As(bidders[1].Item1, bidders[1].Item2, OrganizationKind.University).GetFromJsonAsync<JsonElement>($"/api/tenders/{tender}");
        Assert.Equal("org-demo-university-1", Assert.Single(own.GetProperty("bids").EnumerateArray()).GetProperty("organizationId").GetString());
        foreach (var (account, _) in bidders) Assert.Contains(await trading.NoticesAsync(account, tender), n => n.News == "Opened");
        // Center admins read as their center's brokers: the demand's center all bids, another center none.
        Assert.Equal(2, (await centerAdmin.GetFromJsonAsync<JsonElement>($"/api/tenders/{tender}")).GetProperty("bids").GetArrayLength());
        Assert.Equal(0, (await otherCenterAdmin.GetFromJsonAsync<JsonElement>($"/api/tenders/{tender}")).GetProperty("bids").GetArrayLength());
        await (await trading.As("acct-tnd-late", "org-demo-university-2", OrganizationKind.University)
            .PostAsJsonAsync($"/api/tenders/{tender}/bids", new { clientBidId = "late", price = 1m, plan = "迟到的方案", durationDays = 1 }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "trade-closed");

        // The award: only the enterprise; every bidder is told; the winner and the enterprise have a lead.
        var winnerNumber = bids.Single(b => b.GetProperty("organizationId").GetString() == "org-demo-university-1").GetProperty("bidNumber").GetInt32();
        await (await (await trading.SignedInAsync("demo-national")).PostAsJsonAsync($"/api/tenders/{tender}/award", new { bidNumber = winnerNumber }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var awarded = await (await enterprise.PostAsJsonAsync($"/api/tenders/{tender}/award", new { bidNumber = winnerNumber })).BodyAsync();
        Assert.Equal(("Awarded", tender), (awarded.GetProperty("status").GetString(), awarded.GetProperty("dealId").GetString()));
        Assert.Contains(await trading.NoticesAsync(bidders[1].Item1, tender), n => n.News == "Awarded" && n.Amount == 234.567891m);
        Assert.Contains(await trading.NoticesAsync(bidders[0].Item1, tender), n => n.News == "NotAwarded");
        var deal = await enterprise.GetFromJsonAsync<JsonElement>($"/api/deals/{tender}");
        Assert.Equal(("Lead", demand, "org-demo-university-1"), (deal.GetProperty("stage").GetString(),
            deal.GetProperty("facts").GetProperty("demandId").GetString(), deal.GetProperty("facts").GetProperty("achievementOrganizationId").GetString()));

        // No event ever carried a bid: neither what was pushed nor what the inboxes store.
        await TradingFixture.UntilAsync(enterprise, $"/api/tenders/{tender}", _ => pushed.Any(p => p.Contains("\"awarded\"")), 10);
        Assert.Contains(pushed, p => p.Contains("\"bidCount\""));
        Assert.All(pushed, p => Assert.All(marks, m => Assert.DoesNotContain(m, p)));
        Assert.Equal(0, await trading.Database.CountAsync($"SELECT count(*) FROM tt_event WHERE payload LIKE '%{secret}%' OR payload LIKE '%123.456789%'"));
        Assert.Equal(0, await trading.Database.CountAsync($"SELECT count(*) FROM tt_trade WHERE id = '{tender}' AND price IS NOT NULL"));
        foreach (var connection in connections) await connection.DisposeAsync();
    }

    /// <summary>A center admin appointed through the API by the national level, signed in with a password.</summary>
    async Task<HttpClient> CenterAdminAsync(string region)
    {
        var account = $"tnd-center-admin-{region}";
        var created = await (await trading.SignedInAsync("demo-national")).PostAsJsonAsync($"/api/organizations/org-center-{region}/accounts",
            new { account, displayName = "招标测试 中心管理员", role = "CenterAdmin", password = TechTransfer.Demo.DemoSeeder.Password });
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
        return await trading.SignedInAsync(account);
    }

    static string Token(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;
}
