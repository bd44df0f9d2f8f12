using System.Net.Http.Json;
using Microsoft.Playwright;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Tests.Valuation;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// 评估报价 in the portal: the owner's achievement page shows the comparables' range, the comparables by name, and the
/// method form (refused input under its field, saved input as a range beside the comparables'); the 挂牌 form offers
/// the median as its price; another enterprise sees no panel. At 1366 and 390 px.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ValuationPortalTests(PortalFixture fixture) : PortalJourney(fixture)
{
    [Fact]
    public async Task The_owner_sees_the_range_the_named_comparables_and_the_methods_gives_inputs_and_takes_the_suggested_price_to_the_listing_form()
    {
        var (owner, subject, _) = await ValuationApiTests.ScriptedMarketAsync(Portal.SignedInClientAsync, Portal.Host.Services);

        var page = await SignedInAsync(owner.Account, $"#/achievements/{subject}");
        var panel = page.Locator("#valuation");
        await Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "评估报价" })).ToBeVisibleAsync();
        await Expect(panel.Locator("#valuation-range")).ToContainTextAsync("100–300 万元");
        await Expect(panel.Locator("#valuation-range")).ToContainTextAsync("中位 200 万元");
        await Expect(panel.Locator("#valuation-note")).ToContainTextAsync("2 笔金额对您不公开");
        // Comparables by name with links, never ids; amounts the owner may not see say so.
        await Expect(panel.GetByRole(AriaRole.Link, new() { Name = "钴基合金耐磨涂层" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^#/fixed-price-listings/fpl-"));
        await Expect(panel.GetByRole(AriaRole.Link, new() { Name = "钛合金增材修复" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^#/contracts/\d{12}$"));
        await Expect(panel.Locator("#comparables li")).ToHaveCountAsync(4);
        await Expect(panel.Locator("#comparables")).ToContainTextAsync("金额未公开的技术合同");
        await Expect(panel.Locator("#comparables")).ToContainTextAsync("长三角区域服务中心");
        var text = await panel.InnerTextAsync();
        Assert.DoesNotContain("org-", text);
        Assert.DoesNotContain("ach-", text);
        await Expect(panel.Locator("[data-method=income]")).ToContainTextAsync("卖方未填报参数");

        // A share range upside down: the server's message under the field, nothing saved.
        var form = panel.GetByRole(AriaRole.Form, new() { Name = "评估参数" });
        await form.GetByLabel("预期年新增收益（万元）").FillAsync("100");
        await form.GetByLabel("分成率下限（%）").FillAsync("30");
        await form.GetByLabel("分成率上限（%）").FillAsync("20");
        await form.GetByLabel("收益年限（年）").FillAsync("5");
        await form.GetByLabel("折现率（%）").FillAsync("10");
        await form.GetByRole(AriaRole.Button, new() { Name = "保存评估参数" }).ClickAsync();
        await Expect(form.Locator("[data-field='income.shareMin'] .error")).ToContainTextAsync("分成率");
        await Expect(panel.Locator("[data-method=income]")).ToContainTextAsync("卖方未填报参数");

        await form.GetByLabel("分成率下限（%）").FillAsync("10");
        await form.GetByLabel("重置研发成本（万元）").FillAsync("200");
        await form.GetByLabel("合理利润率（%）").FillAsync("25");
        await form.GetByLabel("已使用年限（年）").FillAsync("2");
        await form.GetByLabel("剩余经济寿命（年）").FillAsync("8");
        await form.GetByRole(AriaRole.Button, new() { Name = "保存评估参数" }).ClickAsync();
        await Expect(panel.Locator("[data-method=income]")).ToContainTextAsync("37.91–75.82 万元");
        await Expect(panel.Locator("[data-method=replacementCost]")).ToContainTextAsync("160–200 万元");
        await Expect(panel.Locator("#valuation-range")).ToContainTextAsync("100–300 万元"); // side by side, not blended
        await PortalFixture.FitsAsync(page, 1366);
        await PortalFixture.ScreenshotAsync(page, "valuation-owner-1366");

        // The 挂牌 form: the median as the suggested price, filled in on request.
        await page.GetByRole(AriaRole.Link, new() { Name = "发起挂牌" }).ClickAsync();
        var suggestion = page.Locator("#price-suggestion");
        await Expect(suggestion).ToContainTextAsync("挂牌价（中位） 200 万元");
        await suggestion.GetByRole(AriaRole.Button, new() { Name = "采用建议价" }).ClickAsync();
        await Expect(page.GetByLabel("挂牌价（万元）")).ToHaveValueAsync("200");
        await PortalFixture.ScreenshotAsync(page, "valuation-listing-form-1366");

        // At phone width: the same panel, nothing wider than the screen.
        var phone = await SignedInAsync(owner.Account, $"#/achievements/{subject}", 390, 844);
        await Expect(phone.Locator("[data-method=replacementCost]")).ToContainTextAsync("160–200 万元");
        await Expect(phone.Locator("#comparables li")).ToHaveCountAsync(4);
        await PortalFixture.FitsAsync(phone, 390);
        await PortalFixture.ScreenshotAsync(phone, "valuation-owner-390");

        // Another enterprise reads the achievement, not its valuation.
        var outsider = await FreshOrganization.CreateAsync(Portal.SignedInClientAsync);
        var other = await SignedInAsync(outsider.Account, $"#/achievements/{subject}");
        await Expect(other.Locator("main h1")).ToContainTextAsync("钙钛矿叠层光伏组件封装工艺");
        await Expect(other.Locator("#valuation")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_broker_of_an_open_deal_sees_the_achievements_price_guidance_on_the_deal_page()
    {
        var deal = await Deals.DealApiTests.MatchAsync(Portal.SignedInClientAsync);
        foreach (var account in new[] { "demo-enterprise", "demo-university" })
        {
            var interest = await (await Portal.SignedInClientAsync(account)).PostAsJsonAsync($"/api/deals/{deal}/interest", new { });
            Assert.True(interest.IsSuccessStatusCode, await interest.Content.ReadAsStringAsync());
        }
        var page = await SignedInAsync("demo-broker", $"#/deals/{deal}");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("对接详情");
        var panel = page.Locator("#valuation");
        await Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "评估报价" })).ToBeVisibleAsync();
        await Expect(panel.Locator("#valuation-range")).ToBeVisibleAsync();
        await Expect(panel.GetByRole(AriaRole.Form)).ToHaveCountAsync(0); // the seller's inputs are the seller's to give
        await PortalFixture.ScreenshotAsync(page, "valuation-deal-broker-1366");
        // The parties' enterprise is not the owner: no panel.
        var buyer = await SignedInAsync("demo-enterprise", $"#/deals/{deal}");
        await Expect(buyer.Locator("main h1")).ToHaveTextAsync("对接详情");
        await Expect(buyer.Locator("#valuation")).ToHaveCountAsync(0);
    }
}
