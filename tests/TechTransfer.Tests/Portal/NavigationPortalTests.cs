using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using TechTransfer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// Issue 18, the crowded navigation: signed in as a center admin or an organization admin the header is one bar at
/// 1366 px (primary links, the 发布/我的 menus, 通知 with its badge, the account menu) and one compact bar at 390 px
/// (a 菜单 button) without sideways scrolling; every item is reached by keyboard, menus close with Escape.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class NavigationPortalTests(PortalFixture portal) : IAsyncLifetime
{
    readonly List<IPage> pages = [];
    readonly ConcurrentBag<string> refused = [];

    async Task<IPage> SignedInAsync(string account, string route, int width, int height)
    {
        var page = await portal.SignedInPageAsync(account, route, width, height);
        page.Response += (_, response) => { if (response.Status >= 400) refused.Add($"{response.Status} {response.Request.Method} {response.Url}"); };
        pages.Add(page);
        return page;
    }

    /// <summary>What each account must reach from the header: links by href, buttons by name.</summary>
    static string[] Expected(string account, string organizationId) => account == "demo-center"
        ? ["#/", "#/search", "#/trading", "#/feed", "#/market", "#/center", "#/deals", "#/contracts", "#/applications", "#/notifications", "#/me", "button:退出"]
        : ["#/", "#/search", "#/trading", "#/feed", "#/market", "#/mine", "#/achievements/new", "#/demands/new", "#/deals", "#/contracts",
            $"#/organizations/{organizationId}/members", "#/notifications", "#/me", "button:退出"];

    /// <summary>The header's parts that are shown: how far apart their tops and bottoms are, against one link's height.</summary>
    static Task<JsonElement> RowsAsync(IPage page) => page.EvaluateAsync<JsonElement>("""
        () => {
          const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
          const parts = [...document.querySelectorAll('.top .brand, .top .nav-toggle, #nav > li, #who > *, #live')].filter(shown).map((e) => e.getBoundingClientRect());
          const item = [...document.querySelectorAll('#nav > li > a, .top .nav-toggle')].filter(shown)[0].getBoundingClientRect();
          return { item: item.height, span: Math.max(...parts.map((r) => r.bottom)) - Math.min(...parts.map((r) => r.top)),
                   nav: document.querySelector('.top nav').getBoundingClientRect().height, parts: parts.length };
        }
        """);

    /// <summary>
    /// Tabs from the brand through the header as a keyboard user would, opening every closed menu (and the 菜单 panel)
    /// with Enter; returns what received the focus: a link's href, "button:" and a button's name.
    /// </summary>
    static async Task<List<string>> TabThroughHeaderAsync(IPage page)
    {
        var reached = new List<string>();
        await page.Locator(".top .brand").FocusAsync();
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<JsonElement>("""
                () => { const e = document.activeElement;
                        return { header: !!e.closest('header'), href: e.getAttribute('href'), text: e.textContent.trim(), expanded: e.getAttribute('aria-expanded') }; }
                """);
            if (!focused.GetProperty("header").GetBoolean()) break;
            reached.Add(focused.GetProperty("href").GetString() ?? "button:" + focused.GetProperty("text").GetString());
            if (focused.GetProperty("expanded").GetString() == "false") await page.Keyboard.PressAsync("Enter");
        }
        return reached;
    }

    static async Task<string> OrganizationOfAsync(IPage page) =>
        (await page.EvaluateAsync<JsonElement>("async () => (await fetch('/api/auth/me')).json()")).GetProperty("organizationId").GetString()!;

    static async Task NoHorizontalOverflowAsync(IPage page, string when)
    {
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"{when}: the page is {width} px wide at 390");
    }

    [Theory]
    [InlineData("demo-center")]
    [InlineData("demo-enterprise")]
    public async Task At_1366_the_header_is_one_line_its_menus_open_and_close_by_keyboard_and_every_item_is_reached(string account)
    {
        var page = await SignedInAsync(account, "#/feed", 1366, 768);
        var rows = await RowsAsync(page);
        var item = rows.GetProperty("item").GetDouble();
        Assert.True(rows.GetProperty("nav").GetDouble() < 1.5 * item, $"the nav is {rows.GetProperty("nav")} px tall, one item {item} px");
        Assert.True(rows.GetProperty("span").GetDouble() < 1.5 * item, $"the header's parts span {rows.GetProperty("span")} px, one item {item} px");
        await Expect(page.Locator("header a.bell[href='#/notifications']")).ToBeVisibleAsync(); // 通知 without opening a menu
        await PortalFixture.ScreenshotAsync(page, $"nav-{account}-1366");

        var mine = page.GetByRole(AriaRole.Button, new() { Name = "我的", Exact = true });
        await Expect(mine).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(page.Locator("#menu-mine")).ToBeHiddenAsync();
        await mine.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(mine).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "我的对接" })).ToBeVisibleAsync();
        await PortalFixture.ScreenshotAsync(page, $"nav-{account}-1366-menu");
        await page.Keyboard.PressAsync("Escape");
        await Expect(mine).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(page.Locator("#menu-mine")).ToBeHiddenAsync();
        await Expect(mine).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown"); // opens it with the focus on its first item
        await Expect(page.Locator("#menu-mine a").First).ToBeFocusedAsync();
        await page.Locator("main h1").ClickAsync(); // a click elsewhere closes it
        await Expect(page.Locator("#menu-mine")).ToBeHiddenAsync();

        var reached = await TabThroughHeaderAsync(page);
        Assert.All(Expected(account, await OrganizationOfAsync(page)), wanted => Assert.Contains(wanted, reached));

        // A link in a menu goes there and closes the menu; the page's own link is marked, and so is its menu.
        await mine.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "我的合同" }).ClickAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync("我的合同");
        await Expect(page.Locator("#menu-mine")).ToBeHiddenAsync();
        await Expect(page.Locator("#menu-mine a[aria-current='page']")).ToHaveAttributeAsync("href", "#/contracts");
        await Expect(mine).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bcurrent\b"));
    }

    [Theory]
    [InlineData("demo-center")]
    [InlineData("demo-enterprise")]
    public async Task At_390_the_header_is_one_compact_bar_without_sideways_scrolling_and_every_item_is_reached_by_keyboard(string account)
    {
        var page = await SignedInAsync(account, "#/feed", 390, 844);
        var rows = await RowsAsync(page);
        Assert.True(rows.GetProperty("span").GetDouble() < 1.6 * rows.GetProperty("item").GetDouble(),
            $"the header's parts span {rows.GetProperty("span")} px, the 菜单 button {rows.GetProperty("item")} px");
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
        await Expect(page.Locator("header a.bell[href='#/notifications']")).ToBeVisibleAsync();
        await NoHorizontalOverflowAsync(page, "closed");
        await PortalFixture.ScreenshotAsync(page, $"nav-{account}-390");

        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "菜单" });
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await page.GetByRole(AriaRole.Button, new() { Name = "我的", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "我的合同" })).ToBeVisibleAsync();
        await NoHorizontalOverflowAsync(page, "the panel and 我的 open");
        await PortalFixture.ScreenshotAsync(page, $"nav-{account}-390-open");
        await page.Keyboard.PressAsync("Escape"); // closes 我的, then the panel, the focus back on what opened each
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "我的", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
        await Expect(toggle).ToBeFocusedAsync();

        await page.Locator("#who .menu-button").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "退出" })).ToBeVisibleAsync();
        await NoHorizontalOverflowAsync(page, "the account menu open");
        await page.Keyboard.PressAsync("Escape");

        var reached = await TabThroughHeaderAsync(page);
        Assert.All(Expected(account, await OrganizationOfAsync(page)), wanted => Assert.Contains(wanted, reached));
        await NoHorizontalOverflowAsync(page, "after tabbing through");

        // Following a link from the panel closes it.
        await toggle.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "交易大厅" }).ClickAsync();
        await Expect(page.Locator("main h1")).ToContainTextAsync("交易大厅");
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_unread_count_shows_without_opening_a_menu_and_a_pushed_event_leaves_an_open_menu_open()
    {
        var word = Samples.UniqueWord();
        var page = await SignedInAsync("demo-enterprise", "#/feed", 390, 844);
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "菜单" });
        await toggle.ClickAsync();
        var mine = page.GetByRole(AriaRole.Button, new() { Name = "我的", Exact = true });
        await mine.ClickAsync();
        await Expect(mine).ToHaveAttributeAsync("aria-expanded", "true");
        var before = (await page.EvaluateAsync<JsonElement>("async () => (await fetch('/api/notifications/unread')).json()")).GetProperty("unread").GetInt32();

        // A match for the enterprise arrives while its menu is open.
        await (await portal.SignedInClientAsync("demo-university")).CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} 极片检测").With("keywords", new JsonArray(word)));
        await (await portal.SignedInClientAsync("demo-enterprise")).CreatePublishedAsync("/api/demands",
            Samples.Demand($"寻求{word}极片检测").With("keywords", new JsonArray(word)));
        await Eventually.TrueAsync(async () =>
        {
            var shown = await page.EvaluateAsync<string?>("document.getElementById('unread-badge')?.textContent ?? null");
            return shown == "99+" || (int.TryParse(shown, out var count) && count > before);
        }, "the badge counts the match");
        await Expect(page.Locator("header a.bell #unread-badge")).ToBeVisibleAsync();
        await Expect(mine).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "我的合同" })).ToBeVisibleAsync();
        await NoHorizontalOverflowAsync(page, "with the badge");
        await PortalFixture.ScreenshotAsync(page, "nav-unread-390-open");
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
