using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TechTransfer.Matching;
using TechTransfer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>The zh-CN portal in a real browser (Debian Chromium) against the real host.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalTests(PortalFixture portal) : IAsyncLifetime
{
    readonly List<IPage> pages = [];

    async Task<IPage> SignedInAsync(string account, string route, int width = 1366, int height = 768)
    {
        var page = await portal.SignedInPageAsync(account, route, width, height);
        pages.Add(page);
        return page;
    }

    static ILocator Field(IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    static async Task FillDemandAsync(IPage page, string word)
    {
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
        await Field(page, "联系电话").FillAsync("020-38880000");
    }

    static async Task FillAchievementAsync(IPage page, string word, string? title = null)
    {
        await Field(page, "成果名称").FillAsync(title ?? $"{word} 锂电池极片缺陷在线检测方法");
        await Field(page, "成果简介").FillAsync("本成果提出一种基于深度学习的锂电池极片缺陷在线检测方法，检测速度达每分钟 60 米。");
        await Field(page, "关键词").FillAsync($"{word}、极片、缺陷检测");
        await Field(page, "技术领域").SelectOptionAsync("NewEnergy");
        await Field(page, "技术成熟度").SelectOptionAsync("6");
        await page.GetByLabel("许可").CheckAsync();
        await page.GetByLabel("转让", new() { Exact = true }).CheckAsync();
        await Field(page, "挂牌价（万元）").FillAsync("300");
        await Field(page, "所在省份").SelectOptionAsync("江苏");
        await Field(page, "联系人").FillAsync("王老师");
        await Field(page, "联系电话").FillAsync("025-83790000");
    }

    static Task PublishFormAsync(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "保存并发布" }).ClickAsync();

    [Fact]
    public async Task A_university_publishing_shows_the_match_on_the_enterprise_feed_within_two_seconds_without_reload()
    {
        var word = Samples.UniqueWord();
        var enterprise = await SignedInAsync("demo-enterprise", "#/demands/new");
        await FillDemandAsync(enterprise, word);
        await PublishFormAsync(enterprise);
        await Expect(enterprise).ToHaveURLAsync(new Regex("#/demands/dem-"));
        await enterprise.GetByRole(AriaRole.Link, new() { Name = "实时匹配" }).ClickAsync();
        await enterprise.EvaluateAsync("window.__sameDocument = true");

        var university = await SignedInAsync("demo-university", "#/achievements/new");
        await FillAchievementAsync(university, word);
        var clock = Stopwatch.StartNew();
        await PublishFormAsync(university);

        // The achievement may also fit a demand another test published for the same enterprise, and this demand may have
        // matched another test's achievement when it was published: the card of this pair.
        var card = enterprise.Locator("#feed article.match", new() { HasText = $"寻求{word}极片缺陷在线检测技术" })
            .Filter(new() { HasText = $"{word} 锂电池极片缺陷在线检测方法" });
        await Expect(card).ToBeVisibleAsync(new() { Timeout = 2_000 });
        var seenAfter = clock.Elapsed;
        Assert.True(await enterprise.EvaluateAsync<bool>("window.__sameDocument === true"), "the feed page was reloaded");
        await Expect(card.Locator(".score")).ToHaveTextAsync(new Regex(@"^\d{1,3} 分$"));
        await Expect(card.Locator(".terms")).ToContainTextAsync(word);
        // Why, in one sentence, and only words that mean something (no 的, no lone characters, no numbers).
        await Expect(card.Locator(".reason")).ToHaveTextAsync(new Regex("^双方均涉及.*极片.*。$"));
        foreach (var term in await card.Locator(".terms mark").AllInnerTextsAsync())
            Assert.True(MeaningfulTerms.IsMeaningful(term), $"'{term}' shown as a shared term: {MeaningfulTerms.WhyNot(term)}");
        await card.Locator("summary").ClickAsync();
        await Expect(card.Locator(".criteria li.held").First).ToBeVisibleAsync();
        await Expect(card.Locator(".snippet em").First).ToBeVisibleAsync();
        await Expect(card).ToHaveCountAsync(1); // once, though the enterprise is also a member of several audiences
        await Expect(university).ToHaveURLAsync(new Regex("#/achievements/ach-"));
        await Expect(university.Locator("#matches article.match", new() { HasText = $"寻求{word}极片缺陷在线检测技术" })).ToBeVisibleAsync();
        await PortalFixture.ScreenshotAsync(enterprise, "live-feed-enterprise");
        await PortalFixture.ScreenshotAsync(university, "achievement-detail-university");
        Assert.True(seenAfter < TimeSpan.FromSeconds(2), $"match shown after {seenAfter}");
    }

    [Fact]
    public async Task The_form_shows_the_servers_messages_under_each_field_and_writes_nothing()
    {
        var page = await SignedInAsync("demo-university", "#/achievements/new");
        var before = await CountMineAsync("demo-university");
        await Field(page, "成果名称").FillAsync("   ");
        await Field(page, "联系电话").FillAsync("not a phone");
        await PublishFormAsync(page);

        await Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-field=title] .error")).ToContainTextAsync("标题不能为空");
        await Expect(page.Locator("[data-field=techField] .error")).ToContainTextAsync("技术领域");
        await Expect(page.Locator("[data-field='contact.phone'] .error")).ToBeVisibleAsync();
        await Expect(Field(page, "成果名称")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Field(page, "成果名称")).ToBeFocusedAsync();
        await PortalFixture.ScreenshotAsync(page, "form-validation");
        Assert.Equal(before, await CountMineAsync("demo-university"));

        // Fixing the fields clears their messages; saving a draft then edits it and publishes.
        var word = Samples.UniqueWord();
        await FillAchievementAsync(page, word);
        await Expect(page.Locator("[data-field=title] .error")).ToBeEmptyAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/achievements/ach-"));
        await Expect(page.Locator("h1 .status")).ToHaveTextAsync("草稿");
        await page.GetByRole(AriaRole.Link, new() { Name = "编辑" }).ClickAsync();
        await Field(page, "成果名称").FillAsync($"{word} 改进的极片缺陷检测方法");
        await PublishFormAsync(page);
        // Saving, publishing and matching, then the page: on a loaded CI machine that can take longer than the default 5 s.
        await Expect(page.Locator("h1")).ToContainTextAsync("改进的极片缺陷检测方法", new() { Timeout = 15_000 });
        await Expect(page.Locator("h1 .status")).ToHaveTextAsync("已发布");
        await page.GetByRole(AriaRole.Button, new() { Name = "我的", Exact = true }).ClickAsync(); // the 我的 menu
        await page.GetByRole(AriaRole.Link, new() { Name = "我的发布" }).ClickAsync();
        await Expect(page.Locator("#view .card", new() { HasText = word })).ToHaveCountAsync(1);
        Assert.Equal(before + 1, await CountMineAsync("demo-university"));
    }

    [Fact]
    public async Task Search_filters_by_facet_highlights_terms_and_shows_user_text_as_text()
    {
        var word = Samples.UniqueWord();
        var university = await portal.SignedInClientAsync("demo-university");
        await university.CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} <img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>")
                .With("keywords", new JsonArray(word, "极片")));
        await university.CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} 新材料涂层").With("keywords", new JsonArray(word)).With("techField", "NewMaterials"));

        var page = await portal.NewPageAsync();
        pages.Add(page);
        await page.GotoAsync($"/#/search?q={word}");
        await Expect(page.Locator("#results > li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#results em", new() { HasText = word }).First).ToBeVisibleAsync();
        await page.Locator(".facet", new() { HasText = "技术领域" }).GetByRole(AriaRole.Button, new() { Name = "新材料（1）" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("field=NewMaterials"));
        await Expect(page.Locator("#results > li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#result-count")).ToHaveTextAsync("共 1 条结果");

        await page.GotoAsync($"/#/search?q={word}&field=NewEnergy");
        await page.Locator("#results a.title").First.ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("<script>");
        await Expect(page.Locator("h1 mark", new() { HasText = word })).ToBeVisibleAsync();
        await Expect(page.Locator("#contact-title + p")).ToContainTextAsync("双方均表达意向");
        Assert.Null(await page.EvaluateAsync<int?>("window.__xss ?? null"));
        await PortalFixture.ScreenshotAsync(page, "listing-detail");
    }

    [Fact]
    public async Task Search_shows_both_kinds_by_default_sorts_and_says_why_a_common_word_finds_nothing()
    {
        var word = Samples.UniqueWord();
        await (await portal.SignedInClientAsync("demo-university")).CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} 极片检测").With("keywords", new JsonArray(word)).With("askingPrice", 900));
        await (await portal.SignedInClientAsync("demo-enterprise")).CreatePublishedAsync("/api/demands",
            Samples.Demand($"寻求{word}极片检测").With("keywords", new JsonArray(word)).With("budgetMax", 200));

        var page = await portal.NewPageAsync();
        pages.Add(page);
        await page.GotoAsync($"/#/search?q={word}");
        await Expect(page.Locator("#results > li")).ToHaveCountAsync(2);
        await Expect(page.Locator("form[role=search] select[name=kind]")).ToHaveValueAsync("all");
        await Expect(page.Locator("#result-count")).ToHaveTextAsync("共 2 条结果");
        await Expect(page.Locator("#results .tag", new() { HasText = "需求" })).ToHaveCountAsync(1);

        await page.Locator("form[role=search] select[name=sort]").SelectOptionAsync("price");
        await page.GetByRole(AriaRole.Button, new() { Name = "搜索", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("sort=price"));
        await Expect(page.Locator("#results > li").First).ToContainTextAsync("需求"); // budget 200 before asking price 900
        await page.Locator(".facet", new() { HasText = "类别" }).GetByRole(AriaRole.Button, new() { Name = "科技成果（1）" }).ClickAsync();
        await Expect(page.Locator("#result-count")).ToHaveTextAsync("共 1 条科技成果");

        await page.GotoAsync("/#/search?q=" + Uri.EscapeDataString("的"));
        await Expect(page.Locator("#search-hint")).ToHaveTextAsync("「的」是常用词，请输入具体的技术词语");
        await Expect(page.Locator("#results > li")).ToHaveCountAsync(0);
        await PortalFixture.ScreenshotAsync(page, "search-hint");
    }

    [Fact]
    public async Task The_broker_dashboard_and_the_national_dashboard_update_live()
    {
        var broker = await SignedInAsync("demo-broker", "#/center");
        var national = await SignedInAsync("demo-national", "#/national");
        await Expect(broker.Locator("h1")).ToContainTextAsync("长三角");
        await Expect(national.Locator(".chart canvas").First).ToBeVisibleAsync();
        var before = int.Parse(await broker.Locator("#stat-achievements").InnerTextAsync());

        var word = Samples.UniqueWord();
        await (await portal.SignedInClientAsync("demo-university")).CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} 长三角新成果").With("keywords", new JsonArray(word)));

        await Expect(broker.Locator("#center-listings", new() { HasText = word })).ToBeVisibleAsync();
        await Expect(broker.Locator("#stat-achievements")).ToHaveTextAsync((before + 1).ToString());
        await Expect(national.Locator("#national-latest", new() { HasText = word })).ToBeVisibleAsync();
        await Expect(national.Locator("#stat-live")).ToHaveTextAsync("1");
        await PortalFixture.ScreenshotAsync(broker, "broker-dashboard");
        await PortalFixture.ScreenshotAsync(national, "national-dashboard");
    }

    [Fact]
    public async Task The_broker_dashboard_shows_the_lead_live_when_the_second_party_expresses_interest()
    {
        var broker = await SignedInAsync("demo-broker", "#/center");
        var deal = await Deals.DealApiTests.MatchAsync(portal.SignedInClientAsync);
        var lead = broker.Locator($"#lead-queue [data-deal='{deal}']");

        var enterprise = await SignedInAsync("demo-enterprise", $"#/deals/{deal}");
        await Expect(enterprise.Locator("#deal-contacts + p")).ToContainTextAsync("双方均表达意向后");
        await enterprise.GetByRole(AriaRole.Button, new() { Name = "表达意向" }).ClickAsync();
        await Expect(enterprise.GetByRole(AriaRole.Button, new() { Name = "撤回意向" })).ToBeVisibleAsync();
        await Expect(lead).ToHaveCountAsync(0); // one side's interest is not yet a lead

        var university = await SignedInAsync("demo-university", $"#/deals/{deal}");
        await broker.EvaluateAsync("window.__sameDocument = true");
        await university.GetByRole(AriaRole.Button, new() { Name = "表达意向" }).ClickAsync();
        await Expect(lead).ToBeVisibleAsync();
        await Expect(lead).ToContainTextAsync("待认领线索");
        Assert.True(await broker.EvaluateAsync<bool>("window.__sameDocument === true"), "the dashboard was reloaded");
        await Expect(university.Locator("#deal-contacts + dl")).ToContainTextAsync("李工");
        await Expect(enterprise.Locator("#deal-contacts + dl")).ToContainTextAsync("王老师"); // the party's page moved live, too
        await PortalFixture.ScreenshotAsync(broker, "broker-lead-queue");

        await lead.GetByRole(AriaRole.Button, new() { Name = "认领" }).ClickAsync();
        await broker.GetByRole(AriaRole.Button, new() { Name = "确认认领" }).ClickAsync();
        await Expect(broker).ToHaveURLAsync(new Regex($"#/deals/{deal}"));
        await Expect(broker.Locator(".stages .current")).ToHaveTextAsync("对接");
        await Expect(broker.Locator("#deal-contacts + dl")).ToContainTextAsync("王老师");
        await broker.GetByRole(AriaRole.Button, new() { Name = "推进到“洽谈”" }).ClickAsync();
        await Expect(broker.Locator(".stages .current")).ToHaveTextAsync("洽谈");
        await Expect(enterprise.GetByRole(AriaRole.Button, new() { Name = "推进到“签约”" })).ToHaveCountAsync(0); // parties never move stages
        await PortalFixture.ScreenshotAsync(broker, "deal-detail-broker");
    }

    [Fact]
    public async Task The_trading_index_page_shows_totals_and_charts_to_anyone()
    {
        var page = await portal.NewPageAsync();
        pages.Add(page);
        await page.GotoAsync("/#/trading");
        await Expect(page.Locator("main h1")).ToContainTextAsync("全国技术交易指数");
        await Expect(page.Locator("main canvas").First).ToBeVisibleAsync();
        await PortalFixture.ScreenshotAsync(page, "trading-index");
    }

    [Theory]
    [InlineData(1366, 768)]
    [InlineData(390, 844)]
    public async Task Every_page_fits_the_width_without_sideways_scrolling(int width, int height)
    {
        var page = await SignedInAsync("demo-enterprise", "#/", width, height);
        foreach (var route in new[] { "#/", "#/search?q=检测", "#/feed", "#/mine", "#/demands/new", "#/trading" })
        {
            await page.GotoAsync("/" + route);
            await Expect(page.Locator("main h1")).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{route} at {width}px scrolls sideways by {overflow}px");
        }
        await page.GotoAsync("/#/search?q=检测");
        // The hits, not the page still loading (the screenshot showed 加载中…).
        await Expect(page.Locator("main h1")).ToBeVisibleAsync();
        await PortalFixture.ScreenshotAsync(page, $"search-{width}x{height}");
    }

    [Fact]
    public async Task Signing_in_and_searching_work_from_the_keyboard_alone()
    {
        var page = await portal.NewPageAsync();
        pages.Add(page);
        await page.GotoAsync("/#/login");
        await Expect(page.GetByLabel("账号")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("demo-enterprise");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("密码")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Demo.DemoSeeder.Password);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-status", "online");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("实时匹配");

        // On a fresh load the skip link is the first stop.
        await page.GotoAsync("/#/");
        await page.ReloadAsync();
        await Expect(page.Locator("main h1")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "跳到主要内容" })).ToBeFocusedAsync();
        await page.Locator("#home-q").FocusAsync();
        await page.Keyboard.TypeAsync("锂电池");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex(@"#/search\?q="));
    }

    async Task<long> CountMineAsync(string account)
    {
        var client = await portal.SignedInClientAsync(account);
        var me = await client.GetFromJsonAsync<JsonObject>("/api/auth/me");
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/achievements?owner={me!["organizationId"]}");
        return page!["total"]!.GetValue<long>();
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
