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

    /// <summary>Waits until the event is in the inbox, then dates it back to <paramref name="at"/> (as if it happened then).</summary>
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
        await BackdateAsync(deal, "user:acct-demo-enterprise", new DateTimeOffset(2026, 1, 5, 2, 7, 0, TimeSpan.Zero));

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

    [Fact]
    public async Task After_a_fixed_price_acceptance_both_parties_feed_cards_say_what_happened_and_link_to_pages_that_exist()
    {
        var national = await portal.SignedInClientAsync("demo-national");
        await national.PostAsJsonAsync("/api/organizations/org-demo-enterprise/verification", new { verified = true });
        var seller = await portal.SignedInClientAsync("demo-university");
        var word = Samples.UniqueWord();
        var achievement = await seller.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 高寒草地生态修复微生物菌剂")
            .With("keywords", new System.Text.Json.Nodes.JsonArray(word, "草地修复"))
            .With("techField", System.Text.Json.Nodes.JsonValue.Create("ResourcesEnvironment")));
        var created = await seller.PostAsJsonAsync("/api/fixed-price-listings", new { achievementId = achievement, price = 120m, endsAt = DateTimeOffset.UtcNow.AddDays(30) });
        var offer = (await created.BodyAsync()).GetProperty("id").GetString()!;
        var buyer = await portal.SignedInClientAsync("demo-enterprise");
        var accepted = await buyer.PostAsync($"/api/fixed-price-listings/{offer}/accept", null);
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());

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
