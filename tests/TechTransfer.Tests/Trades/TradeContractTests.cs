using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Trades;

/// <summary>
/// Every kind of trade ends in a registered contract: the deal a 挂牌, 拍卖 or 招标 opens has one listing (the
/// achievement sold, the demand tendered) and the trade's two parties, and the registry takes exactly that.
/// </summary>
[Collection(TradingCollection.Name)]
public sealed class TradeContractTests(TradingFixture trading)
{
    const string Broker = "demo-broker"; // 长三角: the university's (江苏) center

    /// <summary>The broker of the university's center claims the deal, moves it to 已签约 and registers; returns the contract.</summary>
    async Task<JsonElement> RegisterAsync(string dealId, string seller, string buyer)
    {
        var broker = await trading.SignedInAsync(Broker);
        await TradingFixture.UntilAsync(broker, $"/api/deals/{dealId}", d => d.TryGetProperty("stage", out var s) && s.GetString() == "Lead", 10);
        foreach (var (path, body) in new (string, object)[] { ("claim", new { }), ("stage", new { stage = "Negotiating" }), ("stage", new { stage = "ContractSigned" }) })
        {
            var step = await broker.PostAsJsonAsync($"/api/deals/{dealId}/{path}", body);
            Assert.True(step.IsSuccessStatusCode, $"{path}: {await step.Content.ReadAsStringAsync()}");
        }
        var registered = await broker.PostAsJsonAsync($"/api/deals/{dealId}/contract", new
        {
            type = "Transfer", contractAmount = 130m, techTransactionAmount = 120m, seller, buyer,
            signingDate = TechTransfer.Vocabulary.ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd"),
        });
        Assert.True(registered.StatusCode == HttpStatusCode.OK, await registered.Content.ReadAsStringAsync());
        var deal = await registered.BodyAsync();
        Assert.Equal("Registered", deal.GetProperty("stage").GetString());
        var number = deal.GetProperty("contractNumber").GetString()!;
        return await broker.GetFromJsonAsync<JsonElement>($"/api/contracts/{number}");
    }

    static void AssertFacts(JsonElement contract, string dealId, string achievementId, string demandId, string sellerOrg, string buyerOrg)
    {
        var facts = contract.GetProperty("facts");
        Assert.Equal((dealId, achievementId, demandId, sellerOrg, buyerOrg, "yangtze-delta"),
            (facts.GetProperty("dealId").GetString(), facts.GetProperty("achievementId").GetString(), facts.GetProperty("demandId").GetString(),
             facts.GetProperty("sellerOrganizationId").GetString(), facts.GetProperty("buyerOrganizationId").GetString(),
             facts.GetProperty("regionCode").GetString()));
    }

    [Fact]
    public async Task A_fixed_price_deal_registers_its_contract_with_the_achievement_sold_and_both_parties()
    {
        var seller = await trading.SignedInAsync("demo-university");
        var achievement = await TradingFixture.AchievementAsync(seller);
        var created = await seller.PostAsJsonAsync("/api/fixed-price-listings", new { achievementId = achievement, price = 130m, endsAt = DateTimeOffset.UtcNow.AddDays(7) });
        var offer = (await created.BodyAsync()).GetProperty("id").GetString()!;
        var buyer = await trading.SignedInAsync("demo-enterprise");
        Assert.Equal(HttpStatusCode.OK, (await buyer.PostAsync($"/api/fixed-price-listings/{offer}/accept", null)).StatusCode);

        var contract = await RegisterAsync(offer, "演示大学", "演示企业");
        AssertFacts(contract, offer, achievement, "", "org-demo-university", "org-demo-enterprise");
        // Both parties see it; the deal says it is registered with that number.
        Assert.Equal(HttpStatusCode.OK, (await buyer.GetAsync($"/api/contracts/{contract.GetProperty("number").GetString()}")).StatusCode);
        var deal = await buyer.GetFromJsonAsync<JsonElement>($"/api/deals/{offer}");
        Assert.Equal(contract.GetProperty("number").GetString(), deal.GetProperty("contractNumber").GetString());
    }

    [Fact]
    public async Task An_auction_deal_registers_its_contract_with_the_achievement_sold_and_the_winner()
    {
        var seller = await trading.SignedInAsync("demo-university");
        var achievement = await TradingFixture.AchievementAsync(seller);
        var created = await seller.PostAsJsonAsync("/api/auctions", new
        {
            achievementId = achievement, endsAt = DateTimeOffset.UtcNow.AddSeconds(8), startingPrice = 100m, minIncrement = 5m,
        });
        var auction = (await created.BodyAsync()).GetProperty("id").GetString()!;
        var bid = await trading.As("acct-tc-bidder", "org-demo-enterprise-1").PostAsJsonAsync($"/api/auctions/{auction}/bids", new { clientBidId = "b1", amount = 120m });
        Assert.True(bid.IsSuccessStatusCode, await bid.Content.ReadAsStringAsync());
        await TradingFixture.UntilAsync(seller, $"/api/auctions/{auction}", a => a.GetProperty("status").GetString() == "Sold");

        var contract = await RegisterAsync(auction, "演示大学", "浙江演示企业");
        AssertFacts(contract, auction, achievement, "", "org-demo-university", "org-demo-enterprise-1");
    }

    [Fact]
    public async Task A_tender_deal_registers_its_contract_with_the_demand_tendered_and_the_winning_institution()
    {
        var enterprise = await trading.SignedInAsync("demo-enterprise");
        var demand = await enterprise.CreatePublishedAsync("/api/demands", Samples.Demand($"{Samples.UniqueWord()} 寻求极片在线检测技术"));
        var created = await enterprise.PostAsJsonAsync("/api/tenders", new { demandId = demand, deadline = DateTimeOffset.UtcNow.AddSeconds(6), criteria = "方案 70 分，报价 30 分" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var tender = (await created.BodyAsync()).GetProperty("id").GetString()!;
        var university = await trading.SignedInAsync("demo-university");
        var bid = await university.PostAsJsonAsync($"/api/tenders/{tender}/bids", new { clientBidId = "t1", price = 125m, plan = "在线检测系统三个月交付", durationDays = 90 });
        Assert.True(bid.IsSuccessStatusCode, await bid.Content.ReadAsStringAsync());
        await TradingFixture.UntilAsync(enterprise, $"/api/tenders/{tender}", t => t.GetProperty("status").GetString() == "Opened");
        Assert.Equal(HttpStatusCode.OK, (await enterprise.PostAsJsonAsync($"/api/tenders/{tender}/award", new { bidNumber = 1 })).StatusCode);

        var contract = await RegisterAsync(tender, "演示大学", "演示企业");
        AssertFacts(contract, tender, "", demand, "org-demo-university", "org-demo-enterprise");
    }

    [Fact]
    public async Task The_registry_takes_one_listing_but_not_none()
    {
        var registry = trading.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<TechTransfer.Contracts.IContractRegistryGrain>("yangtze-delta");
        var broker = Contracts.ContractSamples.BrokerOf("yangtze-delta");
        var content = Contracts.ContractSamples.Content(10m, 5m, "2005-05-05");
        var neither = await Assert.ThrowsAsync<TechTransfer.Problems.ProblemException>(() => registry.RegisterAsync(broker,
            new TechTransfer.Contracts.ContractFacts(Contracts.ContractSamples.NewDealId(), "", " ", "NewEnergy", "yangtze-delta", "org-a", "org-b"), content));
        Assert.Equal(("facts.achievementId", "required"), (neither.Errors.Single().Field, neither.Errors.Single().Rule));
        var demandOnly = await registry.RegisterAsync(broker,
            new TechTransfer.Contracts.ContractFacts("tnd-" + Guid.NewGuid().ToString("N"), "", "dem-x", "NewEnergy", "yangtze-delta", "org-a", "org-b"), content);
        Assert.Equal("dem-x", demandOnly.Facts.DemandId);
    }

    [Fact]
    public async Task A_trade_shows_its_description_and_a_listings_trades_are_found_with_the_owners_name()
    {
        var seller = await trading.SignedInAsync("demo-university");
        var achievement = await TradingFixture.AchievementAsync(seller);
        var created = await seller.PostAsJsonAsync("/api/auctions", new
        {
            achievementId = achievement, endsAt = DateTimeOffset.UtcNow.AddDays(3), startingPrice = 50m, minIncrement = 2m,
            description = "含专利实施许可与三个月技术指导。",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var auction = (await created.BodyAsync()).GetProperty("id").GetString()!;
        var read = await (await trading.SignedInAsync("demo-enterprise")).GetFromJsonAsync<JsonElement>($"/api/auctions/{auction}");
        Assert.Equal("含专利实施许可与三个月技术指导。", read.GetProperty("description").GetString());

        var rows = await seller.GetFromJsonAsync<JsonElement>($"/api/trades?listingId={achievement}");
        var row = Assert.Single(rows.EnumerateArray());
        Assert.Equal((auction, "Open", "演示大学（江苏）"), (row.GetProperty("id").GetString(), row.GetProperty("status").GetString(), row.GetProperty("ownerName").GetString()));
        await (await seller.GetAsync("/api/trades?listingId=org-demo-university")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");

        // A second trade of the same achievement is refused, and the horizon is stated in days.
        var second = await seller.PostAsJsonAsync("/api/fixed-price-listings", new { achievementId = achievement, price = 60m, endsAt = DateTimeOffset.UtcNow.AddDays(3) });
        await second.AssertProblemAsync(HttpStatusCode.Conflict, "achievement-in-trade");
        var tooFar = await seller.PostAsJsonAsync("/api/auctions", new
        {
            achievementId = achievement, endsAt = DateTimeOffset.UtcNow.AddDays(91), startingPrice = 50m, minIncrement = 2m, description = new string('说', 2001),
        });
        var problem = await tooFar.BodyAsync();
        Assert.Equal(HttpStatusCode.BadRequest, tooFar.StatusCode);
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("field").GetString(), e.GetProperty("rule").GetString(), e.GetProperty("zh").GetString())).ToArray();
        Assert.Contains(("endsAt", "max-days", "结束时间不能晚于开始后 90 天"), errors);
        Assert.Contains(errors, e => e.Item1 == "description" && e.Item2 == "max-length");
    }
}
