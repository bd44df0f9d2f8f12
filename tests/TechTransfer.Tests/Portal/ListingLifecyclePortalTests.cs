using Microsoft.Playwright;
using TechTransfer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// The listing lifecycle in a real browser, on a portal of its own whose clock the test moves ahead: the owner is
/// told 14 days before the expiry (notification centre), finds the expired listing marked 已过期 in 我的发布, and renews
/// it from its page after a dialog that states the new date. Screenshots at 1366 and 390 px.
/// </summary>
public sealed class ListingLifecyclePortalTests : IAsyncLifetime
{
    readonly ShiftedClock clock = new();
    readonly PortalFixture portal;

    public ListingLifecyclePortalTests() => portal = new PortalFixture(new Dictionary<string, string>
    {
        ["TechTransfer:Listings:ReminderHorizon"] = "00:00:01",
        ["TechTransfer:Listings:CheckPeriod"] = "00:00:01",
    }, clock);

    [Fact]
    public async Task The_owner_is_reminded_sees_the_expired_listing_and_renews_it_from_its_page()
    {
        var owner = await portal.SignedInClientAsync("demo-university");
        var anonymous = portal.Host.CreateClient();
        var title = $"{Samples.UniqueWord()} 盐碱地改良微生物菌剂";
        var id = await owner.CreatePublishedAsync("/api/achievements", Samples.Achievement(title));
        // Signed in before the clock moves: what the pages show after it is the server's doing.
        var desk = await portal.SignedInPageAsync("demo-university", "#/notifications");
        var phone = await portal.SignedInPageAsync("demo-university", "#/mine", 390, 844);

        clock.Ahead = TimeSpan.FromDays(352);
        var notice = desk.Locator("article[data-type=ListingExpiring]", new() { HasText = title });
        await Expect(notice).ToBeVisibleAsync(new() { Timeout = 20_000 }); // pushed live into the open notification centre
        await Expect(notice).ToContainTextAsync("有效期至");
        await Expect(notice).ToContainTextAsync("可续期一次");
        await PortalFixture.ScreenshotAsync(desk, "lifecycle-notice-1366");

        clock.Ahead = TimeSpan.FromDays(366);
        await Eventually.TrueAsync(async () => (await anonymous.GetAsync($"/api/achievements/{id}")).StatusCode == System.Net.HttpStatusCode.NotFound,
            "the listing expired", seconds: 20);
        await phone.ReloadAsync();
        var item = phone.Locator("li", new() { HasText = title });
        await Expect(item.Locator(".status-Expired")).ToHaveTextAsync("已过期");
        await item.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await Expect(phone.Locator("h1")).ToContainTextAsync("已过期");
        await Expect(phone.Locator("#valid-until")).ToContainTextAsync("已过期");
        Assert.Equal(0, await phone.EvaluateAsync<int>("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"));
        await PortalFixture.ScreenshotAsync(phone, "lifecycle-expired-390");

        // The dialog states the new date, a year from the browser's today (Beijing; the browser's clock is not moved);
        // cancelling changes nothing.
        var newDate = DateTimeOffset.UtcNow.AddDays(365).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        await phone.GetByRole(AriaRole.Button, new() { Name = "续期", Exact = true }).ClickAsync();
        var dialog = phone.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync($"续期后有效期至 {newDate}");
        await PortalFixture.ScreenshotAsync(phone, "lifecycle-renew-dialog-390");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "取消" }).ClickAsync();
        await Expect(phone.Locator("h1")).ToContainTextAsync("已过期");

        await desk.GotoAsync($"/#/achievements/{id}");
        await desk.GetByRole(AriaRole.Button, new() { Name = "续期", Exact = true }).ClickAsync();
        await desk.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "续期", Exact = true }).ClickAsync();
        await Expect(desk.Locator(".toast", new() { HasText = "已续期" })).ToBeVisibleAsync();
        await Expect(desk.Locator("h1")).Not.ToContainTextAsync("已过期");
        await Expect(desk.Locator("#valid-until")).ToContainTextAsync("已续期");
        await Expect(desk.GetByRole(AriaRole.Button, new() { Name = "续期", Exact = true })).ToHaveCountAsync(0); // once only
        await PortalFixture.ScreenshotAsync(desk, "lifecycle-renewed-1366");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await anonymous.GetAsync($"/api/achievements/{id}")).StatusCode);
    }

    public Task InitializeAsync() => portal.InitializeAsync();

    public async Task DisposeAsync()
    {
        var errors = portal.ScriptErrors.ToArray();
        await portal.DisposeAsync();
        Assert.True(errors.Length == 0, "script errors: " + string.Join(" | ", errors));
    }
}
