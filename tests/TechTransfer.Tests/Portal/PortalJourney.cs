using Microsoft.Playwright;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// A browser journey on the collection's portal: its pages (each in its own browser context) are closed at its end, and
/// it fails if any page raised a script error. Tests of one collection run one after another, so the errors collected
/// are this journey's.
/// </summary>
public abstract class PortalJourney(PortalFixture portal) : IAsyncLifetime
{
    readonly List<IPage> pages = [];

    /// <summary>The collection's portal: its host, its database, API clients for setting the scene.</summary>
    protected PortalFixture Portal => portal;

    /// <summary>Signed in through the login form as <paramref name="account"/>, at <paramref name="route"/>.</summary>
    protected async Task<IPage> SignedInAsync(string account, string route, int width = 1366, int height = 768) =>
        Kept(await portal.SignedInPageAsync(account, route, width, height));

    /// <summary>Nobody signed in.</summary>
    protected async Task<IPage> AnonymousAsync(int width = 1366, int height = 768) => Kept(await portal.NewPageAsync(width, height));

    IPage Kept(IPage page)
    {
        pages.Add(page);
        return page;
    }

    public Task InitializeAsync()
    {
        portal.ScriptErrors.Clear();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var page in pages) await page.Context.CloseAsync();
        Assert.True(portal.ScriptErrors.IsEmpty, "script errors: " + string.Join(" | ", portal.ScriptErrors));
    }
}
