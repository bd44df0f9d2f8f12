using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TechTransfer.Demo;
using TechTransfer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// Trades created in the portal, as their owners would: an auction from an achievement's page that two bidders
/// (own browser contexts) bid on and that ends, seen in the winner's and the seller's feeds; a 挂牌 accepted whose
/// deal registers its contract; a 招标 from a demand's page; the forms and the hall at desktop and phone width.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class TradeCreationPortalTests(PortalFixture fixture) : PortalJourney(fixture)
{
    /// <summary>A published achievement of demo-university's, with a word nothing else uses (no other test's matches).</summary>
    async Task<(string Id, string Title)> AchievementAsync(string what)
    {
        var title = $"{Samples.UniqueWord()} {what}";
        var id = await (await Portal.SignedInClientAsync("demo-university")).CreatePublishedAsync("/api/achievements", Samples.Achievement(title)
            .With("summary", System.Text.Json.Nodes.JsonValue.Create("一种面向盐碱地改良的功能材料及其制备方法。"))
            .With("keywords", new System.Text.Json.Nodes.JsonArray(title.Split(' ')[0], "盐碱地"))
            .With("techField", System.Text.Json.Nodes.JsonValue.Create("ResourcesEnvironment")));
        return (id, title);
    }

    /// <summary>A datetime-local value in Beijing time.</summary>
    static string Beijing(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-ddTHH:mm");

    static async Task BidAsync(IPage page, string amount)
    {
        await page.GetByLabel("出价（万元", new() { Exact = false }).FillAsync(amount);
        await page.GetByRole(AriaRole.Button, new() { Name = "出价", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"{amount} 万元");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认出价" }).ClickAsync();
        await Expect(page.Locator("#auction-status")).ToContainTextAsync("您当前领先");
    }

    [Fact]
    public async Task A_university_auctions_its_achievement_from_its_page_two_enterprises_bid_and_both_feeds_link_to_the_sale_at_its_time()
    {
        var national = await Portal.SignedInClientAsync("demo-national");
        (await national.PostAsJsonAsync("/api/organizations/org-demo-enterprise-2/verification", new { verified = true })).EnsureSuccessStatusCode();
        var account = await national.PostAsJsonAsync("/api/organizations/org-demo-enterprise-2/accounts",
            new { account = "demo-bidder-js", displayName = "江苏竞买人", role = "Member", password = DemoSeeder.Password });
        Assert.True(account.IsSuccessStatusCode, await account.Content.ReadAsStringAsync());
        var (achievement, title) = await AchievementAsync("盐碱地土壤改良功能材料");

        // The seller: 发起拍卖 on the achievement's page.
        var seller = await SignedInAsync("demo-university", $"#/achievements/{achievement}");
        await seller.GetByRole(AriaRole.Link, new() { Name = "发起拍卖" }).ClickAsync();
        await Expect(seller.Locator("main h1")).ToHaveTextAsync("发起拍卖");
        var form = seller.Locator("form");
        var submit = form.GetByRole(AriaRole.Button, new() { Name = "发起拍卖" });
        var dialog = seller.GetByRole(AriaRole.Dialog);
        await form.GetByLabel("起拍价（万元）").FillAsync("100");
        await PortalFixture.ScreenshotAsync(seller, "trade-new-auction-filled-1366");
        await PortalFixture.FitsAsync(seller, 1366);

        // A required value missing: the server's message under its field, nothing to confirm, nothing created.
        await submit.ClickAsync();
        await Expect(seller.Locator("#err-minIncrement")).ToHaveTextAsync("加价幅度不能为空");
        await Expect(form.GetByLabel("加价幅度（万元）")).ToHaveAttributeAsync("aria-invalid", "true");
        // Beyond the horizon: confirmed, refused, the reason under 结束时间.
        await form.GetByLabel("加价幅度（万元）").FillAsync("5");
        await form.GetByLabel("结束时间").FillAsync(Beijing(DateTimeOffset.UtcNow.AddDays(100)));
        await submit.ClickAsync();
        await Expect(dialog).ToContainTextAsync("起拍价 100 万元");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认拍卖" }).ClickAsync();
        await Expect(seller.Locator("#err-endsAt")).ToHaveTextAsync("结束时间不能晚于开始后 90 天");
        Assert.Equal(0, (await national.GetFromJsonAsync<JsonElement>($"/api/trades?listingId={achievement}")).GetArrayLength());

        // One to two minutes (the form takes minutes), with a description; the confirmation says how long and what follows.
        var end = DateTimeOffset.UtcNow.AddMinutes(2);
        await form.GetByLabel("结束时间").FillAsync(Beijing(end));
        await form.GetByLabel("拍卖说明").FillAsync("含发明专利实施许可及三个月现场技术指导。");
        await submit.ClickAsync();
        await Expect(dialog).ToContainTextAsync("加价幅度：5 万元；保留价：无");
        await Expect(dialog).ToContainTextAsync(new Regex("共 [12] 分钟"));
        await Expect(dialog).ToContainTextAsync("最高出价达到保留价即成交");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认拍卖" }).ClickAsync();
        await Expect(seller).ToHaveURLAsync(new Regex("#/auctions/auc-[0-9a-f]{32}$"));
        var auction = seller.Url[(seller.Url.IndexOf("#/auctions/", StringComparison.Ordinal) + "#/auctions/".Length)..];
        await Expect(seller.Locator("main h1")).ToHaveTextAsync($"拍卖：{title}");
        await Expect(seller.Locator("#auction-seller")).ToHaveTextAsync("演示大学（江苏）");
        await Expect(seller.Locator("main")).ToContainTextAsync("含发明专利实施许可及三个月现场技术指导。");
        await Expect(seller.GetByRole(AriaRole.Link, new() { Name = title }).First).ToHaveAttributeAsync("href", $"#/achievements/{achievement}");

        // While it runs, the achievement cannot go to market twice: the form says so and links to the auction.
        var again = await SignedInAsync("demo-university", $"#/achievements/{achievement}/fixed-price-listings/new");
        await Expect(again.Locator("#open-trade")).ToContainTextAsync("该成果正在拍卖中");
        await Expect(again.GetByRole(AriaRole.Link, new() { Name = "查看该拍卖" })).ToHaveAttributeAsync("href", $"#/auctions/{auction}");

        // Two enterprises of different organizations bid, each in its own browser, each through the confirmation.
        var first = await SignedInAsync("demo-enterprise", $"#/auctions/{auction}");
        var second = await SignedInAsync("demo-bidder-js", $"#/auctions/{auction}");
        await BidAsync(first, "100");
        await Expect(second.Locator("#auction-price")).ToHaveTextAsync("100 万元");
        await BidAsync(second, "110");
        await Expect(first.Locator("#auction-status")).Not.ToContainTextAsync("您当前领先");

        // The end: the seller's page turns to 已成交 by itself (at most two minutes and a few seconds).
        await Expect(seller.Locator("#auction-status")).ToHaveTextAsync("已成交", new() { Timeout = 180_000 });
        var ended = await national.GetFromJsonAsync<JsonElement>($"/api/auctions/{auction}");
        var endedAt = ended.GetProperty("endedAt").GetDateTimeOffset();
        Assert.Equal(110m, ended.GetProperty("winningAmount").GetDecimal());
        await Task.Delay(TimeSpan.FromSeconds(3)); // so a card showing the page-load time could not pass for the end

        // The winner's and the seller's feeds, after a reload: their cards link to the auction and the deal, dated at the end.
        foreach (var (page, news) in new[] { (second, "恭喜，您已竞得"), (seller, "您的交易已成交") })
        {
            await page.GotoAsync("/#/feed");
            await page.ReloadAsync();
            var card = page.Locator($"#feed article[data-type=TradeNotice][data-trade='{auction}']");
            await Expect(card).ToContainTextAsync(news);
            await Expect(card).ToContainTextAsync("110 万元");
            var stamp = DateTimeOffset.Parse(await card.Locator("time").GetAttributeAsync("datetime") ?? "");
            Assert.InRange(stamp, endedAt.AddSeconds(-1), endedAt.AddSeconds(15));
            await Expect(card.Locator("time")).ToHaveTextAsync(new Regex("^(刚刚|\\d+ 分钟前)$"));
            var links = await card.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
            Assert.Equal([$"#/auctions/{auction}", $"#/deals/{auction}"], links);
            foreach (var href in links)
            {
                await page.GotoAsync("/" + href);
                await Expect(page.Locator("main h1")).ToHaveTextAsync(new Regex("^(拍卖：|对接详情)"));
                await Expect(page.Locator("main")).ToContainTextAsync(title);
            }
        }
        await Expect(second.Locator("#deal-trade")).ToHaveTextAsync("拍卖");
        await PortalFixture.ScreenshotAsync(second, "trade-auction-deal");
        // The loser heard it too; the bidder not told anything it should not know.
        await first.GotoAsync("/#/feed");
        await Expect(first.Locator($"#feed article[data-type=TradeNotice][data-trade='{auction}']").First).ToContainTextAsync("未竞得");
    }

    [Fact]
    public async Task A_fixed_price_listing_created_on_a_phone_is_accepted_and_its_deal_registers_a_contract_linked_from_the_deal()
    {
        var (achievement, title) = await AchievementAsync("盐碱地微生物改良菌剂");
        var seller = await SignedInAsync("demo-university", $"#/achievements/{achievement}", 390, 844);
        await seller.GetByRole(AriaRole.Link, new() { Name = "发起挂牌" }).ClickAsync();
        await Expect(seller.Locator("main h1")).ToHaveTextAsync("发起挂牌");
        var form = seller.Locator("form");
        await form.GetByLabel("挂牌价（万元）").FillAsync("86.5");
        await form.GetByLabel("挂牌说明").FillAsync("独占许可，含工艺包。");
        await PortalFixture.ScreenshotAsync(seller, "trade-new-fixed-price-390");
        await PortalFixture.FitsAsync(seller, 390);
        await form.GetByRole(AriaRole.Button, new() { Name = "发起挂牌" }).ClickAsync();
        var dialog = seller.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("挂牌价 86.5 万元");
        await Expect(dialog).ToContainTextAsync(new Regex("共 30 天"));
        await Expect(dialog).ToContainTextAsync("第一家经认证的企业摘牌即按此价成交");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认挂牌" }).ClickAsync();
        await Expect(seller).ToHaveURLAsync(new Regex("#/fixed-price-listings/fpl-[0-9a-f]{32}$"));
        var offer = seller.Url[(seller.Url.IndexOf("#/fixed-price-listings/", StringComparison.Ordinal) + "#/fixed-price-listings/".Length)..];
        await Expect(seller.Locator("#offer-status")).ToHaveTextAsync("进行中");
        await Expect(seller.Locator("main")).ToContainTextAsync("独占许可，含工艺包。");
        await PortalFixture.FitsAsync(seller, 390);

        var buyer = await SignedInAsync("demo-enterprise", $"#/fixed-price-listings/{offer}");
        await Expect(buyer.Locator("#offer-seller")).ToHaveTextAsync("演示大学（江苏）");
        await buyer.GetByRole(AriaRole.Button, new() { Name = "按挂牌价摘牌" }).ClickAsync();
        await buyer.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "确认摘牌" }).ClickAsync();
        await Expect(buyer.Locator("#offer-status")).ToHaveTextAsync("已摘牌");
        await Expect(seller.Locator("#offer-status")).ToHaveTextAsync("已摘牌"); // live, no reload

        // The broker of the university's center takes the deal to a registered contract, all in the Portal.
        var broker = await SignedInAsync("demo-broker", $"#/deals/{offer}");
        await Expect(broker.Locator("#deal-trade")).ToHaveTextAsync("挂牌");
        await broker.GetByRole(AriaRole.Button, new() { Name = "认领线索" }).ClickAsync();
        await broker.GetByRole(AriaRole.Button, new() { Name = "推进到“洽谈”", Exact = false }).ClickAsync();
        await broker.GetByRole(AriaRole.Button, new() { Name = "推进到“签约”", Exact = false }).ClickAsync();
        var contract = broker.Locator("form", new() { Has = broker.GetByRole(AriaRole.Heading, new() { Name = "技术合同认定登记" }) });
        await Expect(contract.GetByLabel("卖方（技术提供方）")).ToHaveValueAsync("演示大学（江苏）");
        await Expect(contract.GetByLabel("买方（技术受让方）")).ToHaveValueAsync("演示科技有限公司（广东）");
        await contract.GetByLabel("合同类型").SelectOptionAsync("Transfer");
        await contract.GetByLabel("合同金额（万元）").FillAsync("86.5");
        await contract.GetByLabel("其中技术交易额（万元）").FillAsync("80");
        await contract.GetByLabel("签订日期").FillAsync(DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd"));
        await contract.GetByRole(AriaRole.Button, new() { Name = "登记合同" }).ClickAsync();
        await broker.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "确认登记" }).ClickAsync();
        await Expect(broker.Locator(".stages .current")).ToHaveTextAsync("登记");
        var number = await broker.Locator("#deal-contract a").GetAttributeAsync("href");
        Assert.Matches("^#/contracts/\\d{12}$", number);
        var stored = await (await Portal.SignedInClientAsync("demo-enterprise")).GetFromJsonAsync<JsonElement>($"/api/contracts/{number!["#/contracts/".Length..]}");
        Assert.Equal((achievement, "", "org-demo-university", "org-demo-enterprise"), (stored.GetProperty("facts").GetProperty("achievementId").GetString(),
            stored.GetProperty("facts").GetProperty("demandId").GetString(), stored.GetProperty("facts").GetProperty("sellerOrganizationId").GetString(),
            stored.GetProperty("facts").GetProperty("buyerOrganizationId").GetString()));
        Assert.Equal(86.5m, stored.GetProperty("content").GetProperty("contractAmount").GetDecimal());
        await PortalFixture.ScreenshotAsync(broker, "trade-fixed-price-contract");
    }

    [Fact]
    public async Task Every_creation_form_and_the_trading_hall_fit_desktop_and_phone_and_a_tender_is_created_from_its_demand()
    {
        var (achievement, _) = await AchievementAsync("盐碱地改良剂施用装备");
        var enterpriseApi = await Portal.SignedInClientAsync("demo-enterprise");
        var demandTitle = $"{Samples.UniqueWord()} 寻求盐碱地快速改良技术";
        var demand = await enterpriseApi.CreatePublishedAsync("/api/demands", Samples.Demand(demandTitle));
        IPage? tenderForm = null;
        foreach (var (width, height) in new[] { (1366, 768), (390, 844) })
        {
            var university = await SignedInAsync("demo-university", $"#/achievements/{achievement}/fixed-price-listings/new", width, height);
            await Expect(university.Locator("main h1")).ToHaveTextAsync("发起挂牌");
            await PortalFixture.FitsAsync(university, width);
            await PortalFixture.ScreenshotAsync(university, $"trade-new-fixed-price-{width}");
            await university.GotoAsync($"/#/achievements/{achievement}/auctions/new");
            await Expect(university.Locator("main h1")).ToHaveTextAsync("发起拍卖");
            await PortalFixture.FitsAsync(university, width);
            await PortalFixture.ScreenshotAsync(university, $"trade-new-auction-{width}");
            var enterprise = await SignedInAsync("demo-enterprise", $"#/demands/{demand}", width, height);
            await enterprise.GetByRole(AriaRole.Link, new() { Name = "发起招标" }).ClickAsync();
            await Expect(enterprise.Locator("main h1")).ToHaveTextAsync("发起招标");
            await PortalFixture.FitsAsync(enterprise, width);
            await PortalFixture.ScreenshotAsync(enterprise, $"trade-new-tender-{width}");
            tenderForm = enterprise; // the last width is the phone's
        }
        // Another organization's member gets no form (and the server would refuse anyway).
        var outsider = await SignedInAsync("demo-enterprise", $"#/achievements/{achievement}/auctions/new");
        await Expect(outsider.Locator("main [role=status]")).ToContainTextAsync("只有发布该成果的机构的成员可以发起拍卖");

        // The tender, on a phone: the missing 评标办法 is named under its field, then confirmed and created.
        var page = tenderForm!; // the enterprise at 390 px, on the tender form
        var form = page.Locator("form");
        await form.GetByRole(AriaRole.Button, new() { Name = "发起招标" }).ClickAsync();
        await Expect(page.Locator("#err-criteria")).ToHaveTextAsync("评标办法不能为空");
        await form.GetByLabel("评标办法").FillAsync("技术方案 60 分，报价 30 分，工期 10 分");
        await form.GetByLabel("招标说明").FillAsync("交付中试线一条。");
        await form.GetByRole(AriaRole.Button, new() { Name = "发起招标" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("截止前任何人都看不到投标内容");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认招标" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/tenders/tnd-[0-9a-f]{32}$"));
        await Expect(page.Locator("#tender-owner")).ToHaveTextAsync("演示科技有限公司（广东）");
        await Expect(page.Locator("main")).ToContainTextAsync("交付中试线一条。");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = demandTitle })).ToHaveAttributeAsync("href", $"#/demands/{demand}");

        // The hall on a phone: rows are cards, nothing wider than the screen, each trade named with its owner.
        await page.GotoAsync("/#/market");
        await Expect(page.Locator("table.hall tbody tr").First).ToBeVisibleAsync();
        await Expect(page.Locator("table.hall tr", new() { HasText = demandTitle })).ToContainTextAsync("演示科技有限公司（广东）");
        await PortalFixture.FitsAsync(page, 390);
        await PortalFixture.ScreenshotAsync(page, "trading-hall-390");
    }
}
