using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using TechTransfer.Demo;
using TechTransfer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>The trading pages in a real browser: two bidders on one auction see each other's bids live.</summary>
[Collection(PortalCollection.Name)]
public sealed class TradingPortalTests(PortalFixture fixture) : PortalJourney(fixture)
{
    [Fact]
    public async Task Two_bidders_pages_update_live_as_each_bids_and_the_outbid_one_is_told()
    {
        // The scene: a second verified enterprise with a bidder; an auction of a demo-university achievement.
        var national = await Portal.SignedInClientAsync("demo-national");
        await national.PostAsJsonAsync("/api/organizations/org-demo-enterprise-1/verification", new { verified = true });
        await national.PostAsJsonAsync("/api/organizations/org-demo-enterprise-1/accounts",
            new { account = "demo-bidder-two", displayName = "浙江竞买人", role = "Member", password = DemoSeeder.Password });
        var seller = await Portal.SignedInClientAsync("demo-university");
        // Unlike anything the other portal tests publish: it must not match their demands and crowd their feeds.
        var word = Samples.UniqueWord();
        var achievement = await seller.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 高寒草地生态修复微生物菌剂")
            .With("summary", System.Text.Json.Nodes.JsonValue.Create("一种用于高寒退化草地植被恢复的复合微生物菌剂及其制备方法。"))
            .With("keywords", new System.Text.Json.Nodes.JsonArray(word, "草地修复"))
            .With("techField", System.Text.Json.Nodes.JsonValue.Create("ResourcesEnvironment")));
        var created = await seller.PostAsJsonAsync("/api/auctions", new
        {
            achievementId = achievement, endsAt = DateTimeOffset.UtcNow.AddMinutes(30), startingPrice = 100m, reservePrice = 120m, minIncrement = 5m,
        });
        var auction = (await created.BodyAsync()).GetProperty("id").GetString()!;

        var first = await SignedInAsync("demo-enterprise", $"#/auctions/{auction}");
        var second = await SignedInAsync("demo-bidder-two", $"#/auctions/{auction}");
        foreach (var page in new[] { first, second }) await Expect(page.Locator("#auction-price")).ToHaveTextAsync("尚无出价");

        await first.GetByLabel("出价（万元", new() { Exact = false }).FillAsync("110");
        await first.GetByRole(AriaRole.Button, new() { Name = "出价", Exact = true }).ClickAsync();
        await first.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "确认出价" }).ClickAsync();
        await Expect(first.Locator("#auction-status")).ToContainTextAsync("您当前领先");
        await Expect(second.Locator("#auction-price")).ToHaveTextAsync("110 万元"); // no reload: the feed moved it
        await Expect(second.Locator("#bids li")).ToHaveCountAsync(1);

        await second.GetByLabel("出价（万元", new() { Exact = false }).FillAsync("125.5");
        await second.GetByRole(AriaRole.Button, new() { Name = "出价", Exact = true }).ClickAsync();
        await second.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "确认出价" }).ClickAsync();
        await Expect(first.Locator("#auction-price")).ToHaveTextAsync("125.5 万元");
        await Expect(first.Locator("#bids li").First).ToContainTextAsync("竞买人 2");
        await Expect(first.Locator(".toast", new() { HasText = "您的出价已被超过" })).ToBeVisibleAsync();
        await Expect(first.Locator("#auction-status")).Not.ToContainTextAsync("您当前领先");
        await Expect(second.Locator("#auction-status")).ToContainTextAsync("您当前领先");

        // A bid below the next minimum is refused with the server's message, on the page that made it.
        await first.GetByLabel("出价（万元", new() { Exact = false }).FillAsync("126");
        await first.GetByRole(AriaRole.Button, new() { Name = "出价", Exact = true }).ClickAsync();
        await first.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "确认出价" }).ClickAsync();
        await Expect(first.GetByRole(AriaRole.Alert)).ToContainTextAsync("出价低于当前最低可出价");
        await PortalFixture.ScreenshotAsync(first, "auction-live");

        var hall = await SignedInAsync("demo-broker", "#/market");
        await Expect(hall.Locator("tr", new() { HasText = "125.5 万元" })).ToBeVisibleAsync();
        await PortalFixture.ScreenshotAsync(hall, "trading-hall");
        var stored = await seller.GetFromJsonAsync<JsonElement>($"/api/auctions/{auction}");
        Assert.Equal(2, stored.GetProperty("bids").GetArrayLength());
    }
}
