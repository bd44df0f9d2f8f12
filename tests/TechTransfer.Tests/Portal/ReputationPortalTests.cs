using System.Net.Http.Json;
using Microsoft.Playwright;
using TechTransfer.Tests.Reputation;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// 信誉体系 in the portal, after the scripted history of ReputationApiTests: a party rates the broker from the ended
/// deal's page (a confirmation first, then the rating in the list and no form), the university's page shows its grade
/// and indicators to anyone, and the broker's workbench shows the broker's own record. At 1366 and 390 px, names only.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ReputationPortalTests(PortalFixture fixture) : PortalJourney(fixture)
{
    [Fact]
    public async Task A_party_rates_the_broker_after_the_deal_ends_and_the_grades_show_on_the_organization_page_and_the_brokers_workbench()
    {
        var history = await ReputationApiTests.ScriptedHistoryAsync(Portal.SignedInClientAsync);

        // The ended deal (B): the university rates the broker, after a dialog that says it is final.
        var deal = await SignedInAsync(history.University.Account, $"#/deals/{history.Deals['B']}", 390, 844);
        var form = deal.Locator("#rating-form");
        await Expect(form).ToContainTextAsync("测试经纪人");
        await form.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Alert)).ToHaveTextAsync("请选择 1–5 星");
        await form.GetByLabel("4 星").CheckAsync();
        await form.GetByLabel("评价内容（选填）").FillAsync("反馈及时，可惜价格没谈拢");
        await form.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).ClickAsync();
        var dialog = deal.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("评价提交后不能修改");
        await PortalFixture.ScreenshotAsync(deal, "rating-confirm-390");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认提交" }).ClickAsync();
        await Expect(deal.Locator("#deal-rating-list li")).ToHaveCountAsync(1);
        await Expect(deal.Locator("#deal-rating-list")).ToContainTextAsync("成果方：★★★★☆ — 反馈及时，可惜价格没谈拢");
        await Expect(deal.Locator("#rating-form")).ToHaveCountAsync(0);
        await Expect(deal.Locator("ol.trail").First).ToContainTextAsync("成果方评价经纪服务");
        await PortalFixture.FitsAsync(deal, 390);

        // The university's page, to anyone: grade B (73) and the indicators with their evidence.
        var page = await AnonymousAsync();
        await page.GotoAsync($"/#/organizations/{history.University.Id}");
        var credit = page.Locator("#credit");
        await Expect(credit.Locator("#credit-grade")).ToHaveTextAsync("B");
        await Expect(credit).ToContainTextAsync("73 分");
        await Expect(credit.Locator("tr[data-name=answeredShare]")).ToContainTextAsync("60 %");
        await Expect(credit.Locator("tr[data-name=answeredShare]")).ToContainTextAsync("5 项");
        await Expect(credit.Locator("tr[data-name=contractAmount]")).ToContainTextAsync("120 万元");
        await PortalFixture.ScreenshotAsync(page, "organization-credit-1366");

        // Match cards name both organizations with their grades: on the page of deal A's achievement, for the enterprise.
        var achievement = (await (await Portal.SignedInClientAsync(history.Enterprise.Account)).GetFromJsonAsync<System.Text.Json.JsonElement>(
            $"/api/deals/{history.Deals['A']}")).GetProperty("facts").GetProperty("achievementId").GetString();
        var listing = await SignedInAsync(history.Enterprise.Account, $"#/achievements/{achievement}");
        var card = listing.Locator("article.match", new() { HasText = history.Enterprise.Name });
        await Expect(card.Locator(".grade-chip").First).ToHaveTextAsync("信誉 B"); // the university
        await Expect(card.Locator(".grade-chip").Last).ToHaveTextAsync("信誉 A"); // the enterprise

        // The broker's workbench: the broker's own record, with the university's rating in it.
        var bench = await SignedInAsync(history.Broker, "#/center");
        var mine = bench.Locator("#my-credit");
        await Expect(mine.Locator("#my-credit-grade")).ToHaveTextAsync("B");
        await Expect(mine.Locator("tr[data-name=leadsClaimed]")).ToBeHiddenAsync(); // the queue comes first; the record opens on request
        await mine.Locator("summary").ClickAsync();
        await Expect(mine.Locator("tr[data-name=leadsClaimed]")).ToContainTextAsync("3 项");
        await Expect(mine.Locator("tr[data-name=averageStars]")).ToContainTextAsync("4 星");
        await mine.ScrollIntoViewIfNeededAsync();
        await PortalFixture.ScreenshotAsync(bench, "broker-credit-1366");
        foreach (var p in new[] { deal, page, bench })
        {
            var text = await p.Locator("main").InnerTextAsync();
            Assert.DoesNotContain("acct-", text);
            Assert.DoesNotContain("org-t-", text);
        }
    }

    [Fact]
    public async Task A_party_contests_an_ended_deal_and_the_center_upholds_it_from_its_queue_and_the_grade_follows()
    {
        var history = await ReputationApiTests.ScriptedHistoryAsync(Portal.SignedInClientAsync);
        var dealId = history.Deals['B'];

        // The university contests the ended deal B, after a dialog that asks why and says it is once only.
        var deal = await SignedInAsync(history.University.Account, $"#/deals/{dealId}", 390, 844);
        await deal.Locator("#contest-button").ClickAsync();
        var dialog = deal.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("每条对接记录只能申诉一次");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "提交异议" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync("请填写异议理由");
        await dialog.GetByLabel("异议理由").FillAsync("需求方预算取消，终止原因不在我方");
        await PortalFixture.ScreenshotAsync(deal, "contest-file-390");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "提交异议" }).ClickAsync();
        var contests = deal.Locator("#deal-contest-list");
        await Expect(contests).ToContainTextAsync($"成果方（{history.University.Name}）：需求方预算取消，终止原因不在我方");
        await Expect(contests).ToContainTextAsync("待区域服务中心审核");
        await Expect(deal.Locator("#contest-button")).ToHaveCountAsync(0);
        await Expect(deal.Locator("ol.trail").Last).ToContainTextAsync("成果方对信誉记录提出异议");
        await PortalFixture.FitsAsync(deal, 390);

        // The center's admin finds it in the workbench's queue, opens the deal and upholds it with a note.
        var bench = await SignedInAsync("demo-center", "#/center");
        var queue = bench.Locator("#contest-queue");
        var item = queue.GetByRole(AriaRole.Link, new() { Name = history.University.Name });
        await Expect(item).ToContainTextAsync("成果方");
        // Beside it, the center's 信誉 in one row: its brokers with their grades, the open contest counted.
        var own = bench.Locator("#center-credit tr[data-code=yangtze-delta]");
        await Expect(own).ToContainTextAsync("测试经纪人（B）");
        await queue.ScrollIntoViewIfNeededAsync();
        await PortalFixture.ScreenshotAsync(bench, "contest-queue-1366");
        await item.ClickAsync();
        var pending = bench.Locator("#deal-contest-list li[data-subject=achievement]");
        await pending.GetByRole(AriaRole.Button, new() { Name = "支持异议" }).ClickAsync();
        var decide = bench.GetByRole(AriaRole.Dialog);
        await Expect(decide).ToContainTextAsync("该对接不再计入其信誉评级");
        await decide.GetByLabel("审核意见").FillAsync("经核实，终止系需求方预算取消");
        await decide.GetByRole(AriaRole.Button, new() { Name = "确认支持" }).ClickAsync();
        await Expect(pending).ToContainTextAsync("已支持：该对接不再计入其信誉（长三角中心管理员：经核实，终止系需求方预算取消）");
        await Expect(bench.Locator("ol.trail").Last).ToContainTextAsync("区域服务中心支持成果方的异议");
        await PortalFixture.ScreenshotAsync(bench, "contest-decided-1366");

        // The university's page: B no longer counts (85, A instead of 73, B).
        var page = await AnonymousAsync();
        await page.GotoAsync($"/#/organizations/{history.University.Id}");
        await Expect(page.Locator("#credit-grade")).ToHaveTextAsync("A");
        await Expect(page.Locator("#credit")).ToContainTextAsync("85 分");
        // The national dashboard lists every center's 信誉, this one's broker among them.
        var dashboard = await SignedInAsync("demo-national", "#/national");
        var rows = dashboard.Locator("#center-credit tbody tr");
        await Expect(rows).ToHaveCountAsync((await (await Portal.SignedInClientAsync("demo-national")).GetFromJsonAsync<System.Text.Json.JsonElement>(
            "/api/regions")).GetArrayLength());
        await Expect(dashboard.Locator("#center-credit tr[data-code=yangtze-delta]")).ToContainTextAsync("测试经纪人（B）");
        await dashboard.Locator("#center-credit").ScrollIntoViewIfNeededAsync();
        await PortalFixture.ScreenshotAsync(dashboard, "national-credit-1366");
        foreach (var p in new[] { deal, bench, dashboard })
            Assert.DoesNotContain("acct-", await p.Locator("main").InnerTextAsync());
    }

    [Fact]
    public async Task The_seller_registers_a_contract_signed_outside_the_deal_flow_and_the_broker_who_led_it_is_told_it_is_theirs()
    {
        var history = await ReputationApiTests.ScriptedHistoryAsync(Portal.SignedInClientAsync);
        var dealId = history.Deals['B']; // claimed by the broker, then ended: the parties signed anyway

        // The university (the seller) finds the form on the ended deal's page; it names the broker and asks.
        var deal = await SignedInAsync(history.University.Account, $"#/deals/{dealId}", 390, 844);
        var form = deal.Locator("form[aria-labelledby=contract-title]");
        await Expect(form.Locator("#contract-title")).ToHaveTextAsync("自行登记技术合同");
        await Expect(form.Locator("#contract-attribution")).ToContainTextAsync("测试经纪人（长三角");
        await form.Locator("select[name=type]").SelectOptionAsync("License");
        await form.GetByLabel("合同金额（万元）").FillAsync("80");
        await form.GetByLabel("其中技术交易额（万元）").FillAsync("60");
        await form.GetByLabel("签订日期").FillAsync(DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd"));
        await form.GetByRole(AriaRole.Button, new() { Name = "登记合同" }).ClickAsync();
        await deal.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "确认登记" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Alert)).ToContainTextAsync("本合同将归属于该经纪人"); // not confirmed: the server asks
        await form.Locator("#acknowledge-broker").CheckAsync();
        await PortalFixture.ScreenshotAsync(deal, "own-contract-form-390");
        await form.GetByRole(AriaRole.Button, new() { Name = "登记合同" }).ClickAsync();
        var dialog = deal.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("本合同归属居间经纪人：测试经纪人");
        await PortalFixture.ScreenshotAsync(deal, "own-contract-confirm-390");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认登记" }).ClickAsync();
        await Expect(deal.Locator("#deal-contract")).ToBeVisibleAsync();
        var number = (await deal.Locator("#deal-contract").InnerTextAsync())[..12];
        await Expect(deal.Locator("form[aria-labelledby=contract-title]")).ToHaveCountAsync(0);
        await Expect(deal.Locator("ol.trail").Last).ToContainTextAsync("成果方自行登记合同（归属牵头经纪人）");
        await PortalFixture.FitsAsync(deal, 390);

        // The broker is told: the notification says it is theirs (as deal A's, which they registered); the contract names them.
        var inbox = await SignedInAsync(history.Broker, "#/notifications");
        var notice = inbox.Locator("article[data-type=ContractRegistered]", new() { HasText = number });
        await Expect(notice).ToContainTextAsync("归属于您的撮合");
        await PortalFixture.ScreenshotAsync(inbox, "attributed-contract-notice-1366");
        await notice.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(inbox.Locator("#contract-broker")).ToHaveTextAsync("测试经纪人");
        foreach (var p in new[] { deal, inbox })
            Assert.DoesNotContain("acct-", await p.Locator("main").InnerTextAsync());
    }

    [Fact]
    public async Task A_match_pushed_live_shows_both_organizations_grades_beside_their_names()
    {
        var history = await ReputationApiTests.ScriptedHistoryAsync(Portal.SignedInClientAsync);
        var feed = await SignedInAsync(history.Enterprise.Account, "#/feed");
        await Expect(feed.Locator("#live")).ToHaveAttributeAsync("data-status", "online");

        // A new pair of the same two organizations, published while the feed is open: the card arrives live.
        var match = await ReputationApiTests.MatchAsync(Portal.SignedInClientAsync, history.University, history.Enterprise);
        var card = feed.Locator("article.match", new() { Has = feed.Locator($"a[href='#/deals/{match}']") });
        await Expect(card).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("fresh"));
        await Expect(card.Locator(".grade-chip").First).ToHaveTextAsync("信誉 B"); // the university, as in its record
        await Expect(card.Locator(".grade-chip").Last).ToHaveTextAsync("信誉 A"); // the enterprise
        await PortalFixture.ScreenshotAsync(feed, "live-match-grades-1366");
    }
}
