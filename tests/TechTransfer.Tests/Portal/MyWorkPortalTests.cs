using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TechTransfer.Tests.Contracts;
using TechTransfer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>Issue 18: the everyday pages of a party or a broker — 我的对接, 我的合同 and a contract page, the notification centre.</summary>
[Collection(PortalCollection.Name)]
public sealed class MyWorkPortalTests(PortalFixture portal) : IAsyncLifetime
{
    readonly List<IPage> pages = [];
    readonly ConcurrentBag<string> refused = [];

    async Task<IPage> SignedInAsync(string account, string route, int width = 1366, int height = 768)
    {
        var page = await portal.SignedInPageAsync(account, route, width, height);
        // Every request of these journeys must succeed: a refused one is a page asking for what it may not have.
        page.Response += (_, response) => { if (response.Status >= 400) refused.Add($"{response.Status} {response.Request.Method} {response.Url}"); };
        pages.Add(page);
        return page;
    }

    static async Task NoHorizontalOverflowAsync(IPage page) =>
        Assert.Equal(0, await page.EvaluateAsync<int>("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"));

    [Fact]
    public async Task A_registered_contract_is_in_my_deals_and_my_contracts_its_page_shows_amounts_and_parties_and_an_amendment_added_in_the_portal()
    {
        var (deal, number) = await ContractListApiTests.RegisteredDealAsync(portal.SignedInClientAsync);

        foreach (var (width, height) in new[] { (1366, 768), (390, 844) })
        {
            var university = await SignedInAsync("demo-university", "#/deals", width, height);
            var row = university.Locator($"#my-deals li[data-deal='{deal}']");
            await Expect(row).ToContainTextAsync("登记");
            await Expect(row).ToContainTextAsync("需求方：演示科技有限公司（广东）");
            await Expect(row).ToContainTextAsync("经纪人：长三角技术经纪人");
            await Expect(row.Locator("time")).ToHaveTextAsync(new Regex(@"^\d{4}/\d{1,2}/\d{1,2} \d{2}:\d{2}:\d{2}$"));
            await Expect(row.Locator($"a[href='#/deals/{deal}']")).ToBeVisibleAsync();
            await NoHorizontalOverflowAsync(university);
            await PortalFixture.ScreenshotAsync(university, $"my-deals-{width}");
            await university.Locator("#deal-stage").SelectOptionAsync("Registered");
            await Expect(university.Locator("#my-deals li").First).ToHaveAttributeAsync("data-deal", deal);
            await Expect(university.Locator("#my-deals li .status")).ToHaveTextAsync(Enumerable.Repeat("登记", await university.Locator("#my-deals li").CountAsync()).ToArray());

            await university.GotoAsync("/#/contracts");
            var contract = university.Locator($"#my-contracts tr[data-number='{number}']");
            foreach (var text in new[] { "演示大学（江苏）", "演示科技有限公司（广东）", "300 万元", "技术许可", "锂电池极片缺陷在线检测方法" })
                await Expect(contract).ToContainTextAsync(text);
            await NoHorizontalOverflowAsync(university);
            await PortalFixture.ScreenshotAsync(university, $"my-contracts-{width}");

            await contract.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
            await Expect(university.Locator("main h1")).ToHaveTextAsync($"技术合同 {number}");
            await Expect(university.Locator("#contract-amount")).ToHaveTextAsync("300 万元");
            await Expect(university.Locator("#contract-tech-amount")).ToHaveTextAsync("280 万元");
            await Expect(university.Locator("#contract-seller a")).ToHaveAttributeAsync("href", "#/organizations/org-demo-university");
            await Expect(university.Locator("#contract-seller a")).ToHaveTextAsync("演示大学（江苏）");
            await Expect(university.Locator("#contract-buyer a")).ToHaveTextAsync("演示科技有限公司（广东）");
            await Expect(university.Locator("#contract-broker")).ToHaveTextAsync("长三角技术经纪人");
            await Expect(university.Locator("#contract-facts")).ToContainTextAsync("技术许可");
            await Expect(university.Locator($"#contract-facts a[href='#/deals/{deal}']")).ToBeVisibleAsync();
            await Expect(university.Locator("#amend-form")).ToHaveCountAsync(0); // a party reads; its center corrects
            Assert.DoesNotMatch(@"\b(org|acct)-[\w-]+|yangtze-delta|undefined", await university.Locator("main").InnerTextAsync());
            await NoHorizontalOverflowAsync(university);
            await PortalFixture.ScreenshotAsync(university, $"contract-{width}");
        }

        // The registering center's broker corrects the amount; cancelling in the confirmation sends nothing.
        var broker = await SignedInAsync("demo-broker", $"#/contracts/{number}");
        var sent = new ConcurrentBag<string>();
        broker.Request += (_, request) => { if (request.Method == "POST") sent.Add(new Uri(request.Url).AbsolutePath); };
        await broker.Locator("#amend-field").SelectOptionAsync("contractAmount");
        await broker.Locator("#amend-value").FillAsync("320");
        await broker.Locator("#amend-reason").FillAsync("补充协议增加现场服务");
        await broker.GetByRole(AriaRole.Button, new() { Name = "提交修正" }).ClickAsync();
        var dialog = broker.Locator("dialog.confirm");
        await Expect(dialog).ToContainTextAsync("合同金额 300 万元 → 320 万元");
        await Expect(dialog).ToContainTextAsync("不可撤销");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "取消" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        Assert.Empty(sent);
        await broker.GetByRole(AriaRole.Button, new() { Name = "提交修正" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认修正" }).ClickAsync();
        var amendment = broker.Locator("#amendments li");
        await Expect(amendment).ToHaveCountAsync(1);
        await Expect(amendment).ToContainTextAsync("长三角技术经纪人：合同金额 300 万元 → 320 万元 — 补充协议增加现场服务");
        await Expect(broker.Locator("#contract-amount")).ToHaveTextAsync("320 万元（登记时 300 万元）");
        Assert.Single(sent, path => path == $"/api/contracts/{number}/amendments");
        await PortalFixture.ScreenshotAsync(broker, "contract-amended-1366");

        var phone = await SignedInAsync("demo-university", $"#/contracts/{number}", 390, 844);
        await Expect(phone.Locator("#amendments li")).ToContainTextAsync("合同金额 300 万元 → 320 万元");
        await Expect(phone.Locator("#amendments time")).ToHaveTextAsync(new Regex(@"^\d{4}/\d{1,2}/\d{1,2} \d{2}:\d{2}:\d{2}$"));
        await NoHorizontalOverflowAsync(phone);
        await PortalFixture.ScreenshotAsync(phone, "contract-amended-390");
    }

    [Fact]
    public async Task The_notification_centre_pages_through_stored_events_marks_them_read_and_the_badge_survives_a_reload()
    {
        // A fresh enterprise's demand matched by a demo-university achievement; the enterprise then says and unsays
        // its interest 21 times: one match and 21 deal updates (and whatever earlier achievements its demand also
        // matched, at most TopK) in its member's inbox, two pages.
        var enterprise = await FreshOrganization.CreateAsync(portal.SignedInClientAsync, "Enterprise", "广东");
        var member = await portal.SignedInClientAsync(enterprise.Account);
        var deal = await Deals.DealApiTests.MatchAsync(account => portal.SignedInClientAsync(account == "demo-enterprise" ? enterprise.Account : account));
        async Task<JsonElement> InboxAsync() => await member.GetFromJsonAsync<JsonElement>("/api/notifications?size=100");
        for (var i = 0; !(await InboxAsync()).GetProperty("items").EnumerateArray().Any(n => n.GetProperty("type").GetString() == "MatchFound"
                 && n.GetProperty("matchId").GetString() == deal); i++)
        {
            Assert.True(i < 240, "the match never reached the inbox"); // matching runs after the publish is acknowledged
            await Task.Delay(250);
        }
        for (var i = 1; i <= 21; i++)
        {
            // Each change is stored in the inbox before the call returns.
            var changed = i % 2 == 1 ? await member.PostAsJsonAsync($"/api/deals/{deal}/interest", new { }) : await member.DeleteAsync($"/api/deals/{deal}/interest");
            Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        }
        async Task<int> UnreadAsync() => (await member.GetFromJsonAsync<JsonElement>("/api/notifications/unread")).GetProperty("unread").GetInt32();
        var total = await UnreadAsync();
        Assert.InRange(total, 22, 40);
        var dealHref = $"#/deals/{deal}";

        var page = await SignedInAsync(enterprise.Account, "#/notifications");
        var badge = page.Locator("#unread-badge");
        await Expect(badge).ToHaveTextAsync($"{total}");
        await Expect(page.Locator("a[href='#/notifications'] #unread-badge")).ToBeVisibleAsync();
        var items = page.Locator("#notifications > li");
        await Expect(items).ToHaveCountAsync(20);
        await Expect(items.First).ToContainTextAsync("需求方表达意向");
        await Expect(items.Nth(1)).ToContainTextAsync("需求方撤回意向");
        await Expect(page.Locator("#notifications li.unread")).ToHaveCountAsync(20);
        await Expect(items.First.Locator("time")).ToHaveTextAsync(new Regex("^(刚刚|\\d+ 分钟前)$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "更早的通知 ›" }).ClickAsync();
        await Expect(items).ToHaveCountAsync(total - 20);
        await Expect(page.Locator("main .pager")).ToContainTextAsync("第 2 页");
        await Expect(page.Locator($"#notifications article.match a[href='{dealHref}']")).ToBeVisibleAsync(); // the oldest of ours
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "更早的通知 ›" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "‹ 较新的通知" }).ClickAsync();
        await Expect(items).ToHaveCountAsync(20);
        await Expect(items.First).ToContainTextAsync("需求方表达意向");

        // Following a card reads it, and leads to a page that exists.
        await items.Nth(1).Locator($"a[href='{dealHref}']").ClickAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync("对接详情");
        await Expect(badge).ToHaveTextAsync($"{total - 1}");
        await page.GoBackAsync();
        await Expect(items.Nth(1)).ToHaveClassAsync(new Regex(@"\bread\b"));
        await Expect(page.Locator("#notifications li.unread")).ToHaveCountAsync(19);
        await page.ReloadAsync();
        await Expect(badge).ToHaveTextAsync($"{total - 1}");
        await Expect(items.Nth(1)).ToHaveClassAsync(new Regex(@"\bread\b"));

        // News arrives while the page is open (the member withdraws its interest): at the top, unread, counted.
        var withdrawn = await member.DeleteAsync($"/api/deals/{deal}/interest");
        Assert.True(withdrawn.IsSuccessStatusCode, await withdrawn.Content.ReadAsStringAsync());
        await Expect(items).ToHaveCountAsync(21);
        await Expect(items.First.Locator("article")).ToHaveAttributeAsync("data-type", "DealUpdated");
        await Expect(items.First).ToContainTextAsync("需求方撤回意向");
        await Expect(items.First).ToHaveClassAsync(new Regex(@"\bunread\b"));
        await Expect(items.First.Locator($"a[href='{dealHref}']")).ToBeVisibleAsync();
        await Expect(badge).ToHaveTextAsync($"{total}");
        await PortalFixture.ScreenshotAsync(page, "notifications-1366");

        await page.GetByRole(AriaRole.Button, new() { Name = "全部标为已读" }).ClickAsync();
        await Expect(page.Locator("#notifications li.unread")).ToHaveCountAsync(0);
        await Expect(badge).ToHaveCountAsync(0);
        await Expect(page.Locator("#unread-count")).ToHaveTextAsync("全部已读");
        await page.ReloadAsync();
        await Expect(items).ToHaveCountAsync(20);
        await Expect(page.Locator("#notifications li.read")).ToHaveCountAsync(20);
        await Expect(badge).ToHaveCountAsync(0);
        Assert.Equal(0, await UnreadAsync());

        var phone = await SignedInAsync(enterprise.Account, "#/notifications", 390, 844);
        await Expect(phone.Locator("#notifications > li")).ToHaveCountAsync(20);
        await NoHorizontalOverflowAsync(phone);
        await PortalFixture.ScreenshotAsync(phone, "notifications-390");
    }

    public Task InitializeAsync()
    {
        portal.ScriptErrors.Clear(); // tests of one collection run one after another
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var page in pages) await page.Context.CloseAsync();
        Assert.True(portal.ScriptErrors.IsEmpty, "script errors: " + string.Join(" | ", portal.ScriptErrors));
        Assert.True(refused.IsEmpty, "refused requests: " + string.Join(" | ", refused));
    }
}
