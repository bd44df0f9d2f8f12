using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Npgsql;
using TechTransfer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>Issue 18: the portal as people use it every day — real times, cards that lead somewhere, names, confirmations.</summary>
[Collection(PortalCollection.Name)]
public sealed class EveryDayPortalTests(PortalFixture portal) : IAsyncLifetime
{
    readonly List<IPage> pages = [];

    async Task<IPage> SignedInAsync(string account, string route, int width = 1366, int height = 768)
    {
        var page = await portal.SignedInPageAsync(account, route, width, height);
        pages.Add(page);
        return page;
    }

    /// <summary>Waits until the event is in the stream, then dates it back to <paramref name="at"/> (as if it happened then).</summary>
    async Task BackdateAsync(string eventId, string inbox, DateTimeOffset at)
    {
        await using var db = NpgsqlDataSource.Create(portal.Database.ConnectionString);
        for (var i = 0; ; i++)
        {
            await using var update = db.CreateCommand("UPDATE tt_notification SET created_at = $1 WHERE event_id = $2 AND inbox = $3");
            update.Parameters.Add(new() { Value = at });
            update.Parameters.Add(new() { Value = eventId });
            update.Parameters.Add(new() { Value = inbox });
            if (await update.ExecuteNonQueryAsync() > 0) return;
            Assert.True(i < 100, $"{eventId} never reached {inbox}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_replayed_event_shows_its_own_time_not_the_time_of_the_page_load()
    {
        var deal = await Deals.DealApiTests.MatchAsync(portal.SignedInClientAsync);
        // 2026-01-05 10:07 in Beijing: long before this test ran.
        await BackdateAsync(deal, "org:org-demo-enterprise", new DateTimeOffset(2026, 1, 5, 2, 7, 0, TimeSpan.Zero));

        var page = await SignedInAsync("demo-enterprise", "#/feed");
        await page.ReloadAsync();
        var card = page.Locator("#feed article.match", new() { Has = page.Locator($"a[href='#/deals/{deal}']") });
        await Expect(card.Locator("time")).ToHaveTextAsync("2026/01/05 10:07");
        await Expect(card.Locator("time")).ToHaveAttributeAsync("datetime", new Regex("^2026-01-05T02:07:00"));

        // A fresh event says how long ago, not a clock reading.
        var fresh = await Deals.DealApiTests.MatchAsync(portal.SignedInClientAsync);
        var freshCard = page.Locator("#feed article.match", new() { Has = page.Locator($"a[href='#/deals/{fresh}']") });
        await Expect(freshCard.Locator("time")).ToHaveTextAsync(new Regex("^(刚刚|\\d+ 分钟前)$"));
        await PortalFixture.ScreenshotAsync(page, "feed-real-times");
    }

    /// <summary>demo-university offers an achievement at 120 万元 and demo-enterprise (verified) accepts it.</summary>
    async Task<(string Offer, string Achievement)> AcceptedOfferAsync()
    {
        var national = await portal.SignedInClientAsync("demo-national");
        await national.PostAsJsonAsync("/api/organizations/org-demo-enterprise/verification", new { verified = true });
        var offer = await OfferAsync();
        var buyer = await portal.SignedInClientAsync("demo-enterprise");
        var accepted = await buyer.PostAsync($"/api/fixed-price-listings/{offer.Offer}/accept", null);
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        return offer;
    }

    /// <summary>demo-university offers a new achievement at 120 万元 for 30 days (挂牌).</summary>
    async Task<(string Offer, string Achievement)> OfferAsync()
    {
        var seller = await portal.SignedInClientAsync("demo-university");
        var word = Samples.UniqueWord();
        var achievement = await seller.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 高寒草地生态修复微生物菌剂")
            .With("keywords", new System.Text.Json.Nodes.JsonArray(word, "草地修复"))
            .With("techField", System.Text.Json.Nodes.JsonValue.Create("ResourcesEnvironment")));
        var created = await seller.PostAsJsonAsync("/api/fixed-price-listings", new { achievementId = achievement, price = 120m, endsAt = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return ((await created.BodyAsync()).GetProperty("id").GetString()!, achievement);
    }

    [Fact]
    public async Task After_a_fixed_price_acceptance_both_parties_feed_cards_say_what_happened_and_link_to_pages_that_exist()
    {
        var (offer, _) = await AcceptedOfferAsync();

        foreach (var (account, news) in new[] { ("demo-enterprise", "您已摘牌成功"), ("demo-university", "您的交易已成交") })
        {
            var page = await SignedInAsync(account, "#/feed");
            var notice = page.Locator($"#feed article[data-type=TradeNotice][data-trade='{offer}']");
            await Expect(notice).ToContainTextAsync(news);
            await Expect(notice).ToContainTextAsync("挂牌");
            await Expect(notice).ToContainTextAsync("120 万元");
            var lead = page.Locator($"#feed article[data-type=DealUpdated][data-deal='{offer}']");
            await Expect(lead).ToContainTextAsync("挂牌被摘牌，形成线索");
            var feedText = await page.Locator("#feed").InnerTextAsync();
            Assert.DoesNotContain("lead:", feedText);
            Assert.DoesNotContain("undefined", feedText);
            await PortalFixture.ScreenshotAsync(page, $"feed-trade-{account}");

            var links = new List<string>();
            foreach (var card in new[] { notice, lead })
                links.AddRange((await card.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))")));
            Assert.Contains($"#/fixed-price-listings/{offer}", links);
            Assert.Contains($"#/deals/{offer}", links);
            foreach (var href in links.Distinct())
            {
                Assert.DoesNotContain("undefined", href);
                await page.GotoAsync("/" + href);
                await Expect(page.Locator("main h1")).Not.ToHaveTextAsync(new Regex("加载中|未找到|页面不存在|出错了"));
                await Expect(page.Locator("main h1")).ToHaveTextAsync(new Regex("挂牌|对接"));
                await Expect(page.Locator("main")).Not.ToContainTextAsync("未找到");
            }
        }
    }

    static readonly Regex RawId = new(@"\b(org|acct|demo|mat|fpl)-[\w-]+|yangtze-delta|undefined|\bsystem\b");

    static async Task ShowsNoRawIdsAsync(IPage page)
    {
        var text = await page.Locator("main").InnerTextAsync();
        var raw = RawId.Match(text);
        Assert.False(raw.Success, $"{page.Url} shows the raw id '{raw.Value}' in: {text}");
    }

    [Fact]
    public async Task Deal_trade_and_listing_pages_name_organizations_accounts_and_centers_never_their_ids()
    {
        var (offer, achievement) = await AcceptedOfferAsync();
        var claimed = await (await portal.SignedInClientAsync("demo-broker")).PostAsJsonAsync($"/api/deals/{offer}/claim", new { });
        Assert.True(claimed.IsSuccessStatusCode, await claimed.Content.ReadAsStringAsync());

        var broker = await SignedInAsync("demo-broker", $"#/deals/{offer}");
        await Expect(broker.Locator("#deal-broker")).ToHaveTextAsync(new Regex("^长三角技术经纪人（.*长三角.*）$"));
        await Expect(broker.Locator("#deal-supplier")).ToHaveTextAsync("演示大学（江苏）");
        await Expect(broker.Locator("#deal-buyer")).ToHaveTextAsync("演示科技有限公司（广东）");
        await Expect(broker.Locator(".trail")).ToContainTextAsync("长三角技术经纪人：经纪人认领");
        await Expect(broker.Locator(".trail")).ToContainTextAsync("系统：挂牌被摘牌，形成线索");
        await ShowsNoRawIdsAsync(broker);
        await PortalFixture.ScreenshotAsync(broker, "deal-names");
        await broker.GotoAsync("/#/center");
        await Expect(broker.Locator($"#lead-queue [data-deal='{offer}']")).ToContainTextAsync("牵头：长三角技术经纪人");

        var enterprise = await SignedInAsync("demo-enterprise", $"#/fixed-price-listings/{offer}");
        await Expect(enterprise.Locator("#offer-seller")).ToHaveTextAsync("演示大学（江苏）");
        await Expect(enterprise.Locator("#offer-buyer")).ToHaveTextAsync("演示科技有限公司（广东）");
        await Expect(enterprise.GetByRole(AriaRole.Link, new() { Name = "高寒草地生态修复微生物菌剂", Exact = false })).ToHaveAttributeAsync("href", $"#/achievements/{achievement}");
        await ShowsNoRawIdsAsync(enterprise);
        await PortalFixture.ScreenshotAsync(enterprise, "trade-names");

        await enterprise.GotoAsync($"/#/achievements/{achievement}");
        await Expect(enterprise.Locator("dl.facts")).ToContainTextAsync("发布机构演示大学（江苏）");
        await ShowsNoRawIdsAsync(enterprise);
        await PortalFixture.ScreenshotAsync(enterprise, "listing-publisher");
    }

    [Fact]
    public async Task Money_and_irreversible_steps_ask_first_cancelling_sends_nothing_and_confirming_does_it()
    {
        var national = await portal.SignedInClientAsync("demo-national");
        await national.PostAsJsonAsync("/api/organizations/org-demo-enterprise/verification", new { verified = true });
        var (offer, _) = await OfferAsync();
        var page = await SignedInAsync("demo-enterprise", $"#/fixed-price-listings/{offer}");
        var sent = new System.Collections.Concurrent.ConcurrentBag<string>();
        page.Request += (_, request) => { if (request.Method == "POST") sent.Add(new Uri(request.Url).AbsolutePath); };
        var accept = page.GetByRole(AriaRole.Button, new() { Name = "按挂牌价摘牌" });
        var dialog = page.GetByRole(AriaRole.Dialog);

        await accept.ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("120 万元");
        await Expect(dialog).ToContainTextAsync("不可撤销");
        await Expect(dialog).ToContainTextAsync("演示大学（江苏）");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "取消" })).ToBeFocusedAsync();
        await PortalFixture.ScreenshotAsync(page, "confirm-accept");
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(accept).ToBeFocusedAsync(); // focus goes back where it was
        await accept.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "取消" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await page.WaitForTimeoutAsync(300);
        Assert.DoesNotContain($"/api/fixed-price-listings/{offer}/accept", sent);
        await Expect(page.Locator("#offer-status")).ToHaveTextAsync("进行中");

        await accept.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认摘牌" }).ClickAsync();
        await Expect(page.Locator("#offer-status")).ToHaveTextAsync("已摘牌");
        Assert.Single(sent, path => path == $"/api/fixed-price-listings/{offer}/accept");

        // 终止 asks for the reason, and Esc leaves the deal as it was.
        var claimed = await (await portal.SignedInClientAsync("demo-broker")).PostAsJsonAsync($"/api/deals/{offer}/claim", new { });
        Assert.True(claimed.IsSuccessStatusCode, await claimed.Content.ReadAsStringAsync());
        var broker = await SignedInAsync("demo-broker", $"#/deals/{offer}");
        var brokerSent = new System.Collections.Concurrent.ConcurrentBag<string>();
        broker.Request += (_, request) => { if (request.Method == "POST") brokerSent.Add(new Uri(request.Url).AbsolutePath); };
        var close = broker.GetByRole(AriaRole.Button, new() { Name = "终止对接" });
        await close.ClickAsync();
        await Expect(broker.GetByRole(AriaRole.Dialog)).ToContainTextAsync("不可恢复");
        await Expect(broker.GetByLabel("终止原因")).ToBeFocusedAsync();
        await broker.Keyboard.PressAsync("Escape");
        await Expect(broker.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await close.ClickAsync();
        await broker.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "确认终止" }).ClickAsync();
        await Expect(broker.GetByRole(AriaRole.Dialog)).ToContainTextAsync("请填写终止原因"); // nothing sent without a reason
        Assert.DoesNotContain($"/api/deals/{offer}/close", brokerSent);
        await broker.GetByLabel("终止原因").FillAsync("买方决定暂缓");
        await broker.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "确认终止" }).ClickAsync();
        await Expect(broker.Locator(".stages .current")).ToHaveTextAsync("终止：买方决定暂缓");
        Assert.Single(brokerSent, path => path == $"/api/deals/{offer}/close");
    }

    [Fact]
    public async Task Registering_a_contract_states_the_amounts_and_cancelling_sends_nothing()
    {
        // A match both parties want.
        var offer = await Deals.DealApiTests.MatchAsync(portal.SignedInClientAsync);
        foreach (var party in new[] { "demo-enterprise", "demo-university" })
        {
            var interested = await (await portal.SignedInClientAsync(party)).PostAsJsonAsync($"/api/deals/{offer}/interest", new { });
            Assert.True(interested.IsSuccessStatusCode, await interested.Content.ReadAsStringAsync());
        }
        var brokerApi = await portal.SignedInClientAsync("demo-broker");
        foreach (var (path, body) in new (string, object)[] { ("claim", new { }), ("stage", new { stage = "Negotiating" }), ("stage", new { stage = "ContractSigned" }) })
        {
            var moved = await brokerApi.PostAsJsonAsync($"/api/deals/{offer}/{path}", body);
            Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        }
        var broker = await SignedInAsync("demo-broker", $"#/deals/{offer}");
        var sent = new System.Collections.Concurrent.ConcurrentBag<string>();
        broker.Request += (_, request) => { if (request.Method == "POST") sent.Add(new Uri(request.Url).AbsolutePath); };
        var form = broker.Locator("form", new() { Has = broker.GetByRole(AriaRole.Heading, new() { Name = "技术合同认定登记" }) });
        await form.GetByLabel("合同类型").SelectOptionAsync("Transfer");
        await form.GetByLabel("合同金额（万元）").FillAsync("120");
        await form.GetByLabel("其中技术交易额（万元）").FillAsync("100");
        await form.GetByLabel("卖方（技术提供方）").FillAsync("演示大学");
        await form.GetByLabel("买方（技术受让方）").FillAsync("演示科技有限公司");
        await form.GetByLabel("签订日期").FillAsync(DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd"));
        var register = form.GetByRole(AriaRole.Button, new() { Name = "登记合同" });
        var dialog = broker.GetByRole(AriaRole.Dialog);

        await register.ClickAsync();
        await Expect(dialog).ToContainTextAsync("合同金额 120 万元");
        await Expect(dialog).ToContainTextAsync("其中技术交易额：100 万元");
        await Expect(dialog).ToContainTextAsync("不可撤销");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "取消" }).ClickAsync();
        await broker.WaitForTimeoutAsync(300);
        Assert.DoesNotContain($"/api/deals/{offer}/contract", sent);
        await Expect(broker.Locator(".stages .current")).ToHaveTextAsync("签约");

        await register.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认登记" }).ClickAsync();
        await Expect(broker.Locator(".stages .current")).ToHaveTextAsync("登记");
        Assert.Single(sent, path => path == $"/api/deals/{offer}/contract");
    }

    [Fact]
    public async Task A_signed_out_visit_asks_nothing_it_would_be_refused_names_the_right_centre_and_the_skip_link_focuses_the_content()
    {
        var page = await portal.NewPageAsync();
        pages.Add(page);
        var refused = new System.Collections.Concurrent.ConcurrentBag<string>();
        var asked = new System.Collections.Concurrent.ConcurrentBag<string>();
        page.Response += (_, response) => { if (response.Status >= 400) refused.Add($"{response.Status} {response.Url}"); };
        page.Request += (_, request) => asked.Add(new Uri(request.Url).AbsolutePath);
        await page.GotoAsync("/#/");
        await Expect(page.Locator("main h1")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.DoesNotContain("/api/auth/me", asked);
        Assert.Empty(refused);

        await Expect(page.Locator("footer")).ToContainTextAsync("工业和信息化部火炬高技术产业开发中心");
        await Expect(page.Locator("footer")).Not.ToContainTextAsync("科技部火炬中心 ·");

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "跳到主要内容" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main#view")).ToBeFocusedAsync();
        await Expect(page.Locator("main h1")).Not.ToHaveTextAsync("页面不存在");
        Assert.EndsWith("/#/", page.Url);
    }

    static ILocator Field(IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    [Fact]
    public async Task The_contact_rule_reads_as_stated_publishing_shows_one_toast_and_signing_out_says_nothing_of_the_live_connection()
    {
        var word = Samples.UniqueWord();
        var university = await portal.SignedInClientAsync("demo-university");
        for (var i = 0; i < 3; i++)
            await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 锂电池极片缺陷在线检测方法 {i}")
                .With("keywords", new System.Text.Json.Nodes.JsonArray(word, "极片", "缺陷检测")));

        var page = await SignedInAsync("demo-enterprise", "#/demands/new");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存并发布" }).ClickAsync();
        await Expect(page.Locator("[data-field='contact.phone'] .error")).ToHaveTextAsync("电话与邮箱至少填一项");

        await Field(page, "需求名称").FillAsync($"寻求{word}极片缺陷在线检测技术");
        await Field(page, "需求描述").FillAsync("我公司需要在涂布产线上实时检测极片缺陷，要求漏检率低于千分之一。");
        await Field(page, "关键词").FillAsync($"{word}，极片，缺陷检测");
        await Field(page, "技术领域").SelectOptionAsync("NewEnergy");
        await Field(page, "最低技术成熟度").SelectOptionAsync("5");
        await Field(page, "预算下限（万元）").FillAsync("100");
        await Field(page, "预算上限（万元）").FillAsync("500");
        await Field(page, "所在省份").SelectOptionAsync("广东");
        await Field(page, "截止日期").FillAsync(DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd"));
        await Field(page, "联系人").FillAsync("李工");
        await Field(page, "电子邮箱").FillAsync("li@example.com"); // no phone: an e-mail is enough
        // The most toasts ever on screen at once, counted by the page itself (they also expire).
        await page.EvaluateAsync("""
            window.__maxToasts = 0;
            new MutationObserver(() => window.__maxToasts = Math.max(window.__maxToasts, document.querySelectorAll('#toasts .toast').length))
                .observe(document.getElementById('toasts'), { childList: true });
            """);
        await page.GetByRole(AriaRole.Button, new() { Name = "保存并发布" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/demands/dem-"));
        await Expect(page.Locator(".toast", new() { HasText = "已发布" })).ToBeVisibleAsync();
        // The three achievements with its own word; other tests' listings on the same topic may match too (docs/matching.md).
        await Expect(page.Locator("#matches article.match a[href^='#/achievements/']", new() { HasText = word })).ToHaveCountAsync(3);
        await page.WaitForTimeoutAsync(1500); // the matches' live events have arrived by now
        Assert.Equal(1, await page.EvaluateAsync<int>("window.__maxToasts"));
        await PortalFixture.ScreenshotAsync(page, "publish-one-toast");

        await page.Locator("#who .menu-button").ClickAsync(); // 退出 is in the account menu
        await page.GetByRole(AriaRole.Button, new() { Name = "退出" }).ClickAsync();
        // the header's link; a page may offer its own ("已有账号，登录")
        await Expect(page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "登录", Exact = true })).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500);
        await Expect(page.Locator("#live")).ToBeHiddenAsync();
        await Expect(page.Locator("header")).Not.ToContainTextAsync("未连接");
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
    }
}
