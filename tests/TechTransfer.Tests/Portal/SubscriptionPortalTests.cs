using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TechTransfer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// Issue 18, saved searches: an enterprise saves a search from the search page, another organization publishes a
/// listing it finds, the notice arrives live in the notification centre and leads to the listing; 我的订阅 shows the
/// result and deletes with a confirmation. At 1366 and 390 px.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class SubscriptionPortalTests(PortalFixture portal) : IAsyncLifetime
{
    readonly List<IPage> pages = [];
    readonly ConcurrentBag<string> refused = [];
    int expectedRefusals;

    async Task<IPage> SignedInAsync(string account, string route, int width = 1366, int height = 768)
    {
        var page = await portal.SignedInPageAsync(account, route, width, height);
        page.Response += (_, response) =>
        {
            // The one refusal this journey asks for: a text search cannot search, saved as a subscription.
            if (response.Status == 400 && response.Request.Method == "POST" && response.Url.EndsWith("/api/subscriptions", StringComparison.Ordinal)
                && Interlocked.Decrement(ref expectedRefusals) >= 0) return;
            if (response.Status >= 400) refused.Add($"{response.Status} {response.Request.Method} {response.Url}");
        };
        pages.Add(page);
        return page;
    }

    static async Task NoHorizontalOverflowAsync(IPage page) =>
        Assert.Equal(0, await page.EvaluateAsync<int>("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"));

    [Fact]
    public async Task An_enterprise_saves_a_search_hears_live_of_a_listing_another_organization_publishes_and_follows_it_to_the_listing()
    {
        var word = Samples.UniqueWord();
        var enterprise = await FreshOrganization.CreateAsync(portal.SignedInClientAsync, "Enterprise", "浙江");
        var page = await SignedInAsync(enterprise.Account, $"#/search?q={Uri.EscapeDataString("的 研究")}");

        // A text search cannot search is refused with search's own hint.
        await page.GetByRole(AriaRole.Button, new() { Name = "保存为订阅" }).ClickAsync();
        expectedRefusals = 1;
        await page.GetByRole(AriaRole.Button, new() { Name = "保存订阅" }).ClickAsync();
        await Expect(page.Locator("#subscribe-error")).ToContainTextAsync("请输入具体的技术词语");
        await Expect(page.Locator("#subscribe-error")).ToContainTextAsync(await page.Locator("#search-hint").InnerTextAsync());

        await page.GotoAsync($"/#/search?q={Uri.EscapeDataString($"{word} 盐碱地")}&kind=achievement&field=ResourcesEnvironment");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存为订阅" }).ClickAsync();
        await page.GetByLabel("订阅名称").FillAsync("盐碱地新成果");
        await PortalFixture.ScreenshotAsync(page, "subscription-save-1366");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存订阅" }).ClickAsync();
        await Expect(page.Locator("#subscribe-done")).ToContainTextAsync("已保存为订阅「盐碱地新成果」");

        await page.GetByRole(AriaRole.Button, new() { Name = "我的", Exact = true }).ClickAsync(); // the 我的 menu
        await page.GetByRole(AriaRole.Link, new() { Name = "我的订阅", Exact = true }).ClickAsync();
        var card = page.Locator("#subscriptions li.subscription");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(card).ToContainTextAsync($"关键词「{word} 盐碱地」 · 科技成果 · 资源与环境");
        await Expect(card).ToContainTextAsync("暂无结果");

        // Another organization publishes what the search finds, while the notification centre is open.
        await page.GetByRole(AriaRole.Link, new() { Name = "通知", Exact = true }).ClickAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync("通知中心");
        // A field of its own: a listing like the other portal tests' would take part in their matches.
        var title = $"{word} 盐碱地改良土壤调理剂";
        var listing = await (await portal.SignedInClientAsync("demo-university")).CreatePublishedAsync("/api/achievements", Samples.Achievement(title)
            .With("summary", "本成果以脱硫石膏与腐殖酸为主料制成土壤调理剂，可降低盐碱地土壤碱化度，使作物出苗率提高三成。")
            .With("keywords", new System.Text.Json.Nodes.JsonArray(word, "盐碱地", "土壤调理剂"))
            .With("techField", "ResourcesEnvironment"));
        var notice = page.Locator("#notifications > li").First;
        await Expect(notice.Locator("article")).ToHaveAttributeAsync("data-type", "SubscriptionHit");
        await Expect(notice).ToContainTextAsync($"订阅「盐碱地新成果」有新成果：{title}");
        await Expect(notice).ToContainTextAsync("发布机构：演示大学（江苏）");
        await Expect(notice).ToHaveClassAsync(new Regex(@"\bunread\b"));
        await Expect(page.Locator("#unread-badge")).ToHaveTextAsync("1");
        await PortalFixture.ScreenshotAsync(page, "subscription-notice-1366");

        await notice.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"#/achievements/{listing}$"));
        await Expect(page.Locator("main h1")).ToContainTextAsync(title); // and its status
        Assert.DoesNotContain("025-83790000", await page.Locator("main").InnerTextAsync()); // the public view: no contact

        await page.GotoAsync("/#/subscriptions");
        await Expect(card).ToContainTextAsync("最近结果（共 1 条）");
        await Expect(card.Locator($"a[href='#/achievements/{listing}']")).ToHaveTextAsync(title);
        await NoHorizontalOverflowAsync(page);
        await PortalFixture.ScreenshotAsync(page, "subscriptions-1366");

        var phone = await SignedInAsync(enterprise.Account, "#/subscriptions", 390, 844);
        await Expect(phone.Locator("#subscriptions li.subscription")).ToContainTextAsync(title);
        await NoHorizontalOverflowAsync(phone);
        await PortalFixture.ScreenshotAsync(phone, "subscriptions-390");
        await phone.GotoAsync($"/#/search?q={Uri.EscapeDataString($"{word} 盐碱地")}");
        await phone.GetByRole(AriaRole.Button, new() { Name = "保存为订阅" }).ClickAsync();
        await Expect(phone.GetByLabel("订阅名称")).ToBeVisibleAsync();
        await NoHorizontalOverflowAsync(phone);
        await PortalFixture.ScreenshotAsync(phone, "subscription-save-390");
        await phone.GotoAsync("/#/notifications");
        await Expect(phone.Locator("#notifications article[data-type='SubscriptionHit']")).ToContainTextAsync(title);
        await NoHorizontalOverflowAsync(phone);
        await PortalFixture.ScreenshotAsync(phone, "subscription-notice-390");

        // Deleting asks first; cancelling keeps it.
        await page.GetByRole(AriaRole.Button, new() { Name = "删除" }).ClickAsync();
        var dialog = page.Locator("dialog.confirm");
        await Expect(dialog).ToContainTextAsync("「盐碱地新成果」");
        await Expect(dialog).ToContainTextAsync("不再收到");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "取消" }).ClickAsync();
        await Expect(card).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "删除" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "删除订阅" }).ClickAsync();
        await Expect(page.Locator("#no-subscriptions")).ToBeVisibleAsync();
        var left = await (await portal.SignedInClientAsync(enterprise.Account)).GetAsync("/api/subscriptions");
        Assert.Equal(0, (await left.BodyAsync()).GetProperty("total").GetInt32());
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
