using Microsoft.Playwright;
using TechTransfer.Demo;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// The real host on its own database (demo accounts, empty market) and Debian's Chromium driven by Playwright.
/// The browser is never downloaded: CHROMIUM_PATH, or /usr/bin/chromium (installed by .ci/run).
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public ApiFixture.HostFactory Host { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Uncaught script errors and console errors of every page: a test fails if its pages had any.</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> ScriptErrors { get; } = [];

    /// <summary>Where screenshots go: TT_ARTIFACTS, or artifacts/screenshots at the repository root.</summary>
    public static string Screenshots { get; } = Environment.GetEnvironmentVariable("TT_ARTIFACTS") ?? Path.Combine(Repository.Root, "artifacts", "screenshots");

    readonly IReadOnlyDictionary<string, string> extraSettings;
    readonly TimeProvider? clock;

    public PortalFixture() : this(new Dictionary<string, string>()) { }

    /// <summary>A portal of its own, for a journey that needs its own settings or clock (see ListingLifecyclePortalTests).</summary>
    internal PortalFixture(IReadOnlyDictionary<string, string> settings, TimeProvider? clock = null) // not public: xunit wants one public constructor
    {
        extraSettings = settings;
        this.clock = clock;
    }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("portal");
        // A short soft close and reminder period (as TradingFixture): an auction created in the portal with a
        // one-minute end is not moved five minutes on by its bids, and ends on time.
        var settings = new Dictionary<string, string>
        {
            ["TechTransfer:Auctions:SoftCloseWindow"] = "00:00:03",
            ["TechTransfer:Auctions:SoftCloseExtension"] = "00:00:03",
            ["TechTransfer:Auctions:ReminderPeriod"] = "00:00:01",
        };
        foreach (var (key, value) in extraSettings) settings[key] = value;
        Host = new ApiFixture.HostFactory(Database.ConnectionString, demoListings: false, settings, clock);
        Host.StartServer();
        await Host.WaitUntilSeededAsync();
        BaseAddress = Host.CreateClient().BaseAddress!;
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>A fresh browser profile (its own cookies) at the given window size, zh-CN.</summary>
    public async Task<IPage> NewPageAsync(int width = 1366, int height = 768)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString(),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new() { Width = width, Height = height },
            IsMobile = width < 500,
            HasTouch = width < 500,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(10_000);
        page.PageError += (_, error) => ScriptErrors.Add($"{page.Url}: {error}");
        page.Console += (_, message) =>
        {
            // A refused request (401 from "who am I" when signed out) is the API's answer, not a script error.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) ScriptErrors.Add($"{page.Url}: {message.Text}");
        };
        return page;
    }

    /// <summary>Signs in through the login form, as a person would, and waits for the live connection.</summary>
    public async Task<IPage> SignedInPageAsync(string account, string route = "#/feed", int width = 1366, int height = 768)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync($"/#/login?next={Uri.EscapeDataString(route)}");
        await page.GetByLabel("账号").FillAsync(account);
        await page.GetByLabel("密码").FillAsync(DemoSeeder.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#live")).ToHaveAttributeAsync("data-status", "online");
        return page;
    }

    /// <summary>An API client signed in as a demo account (Bearer token), for setting the scene quickly.</summary>
    public Task<HttpClient> SignedInClientAsync(string account) => Host.SignedInAsync(account);

    /// <summary>
    /// The page, once settled, needs no sideways scrolling at <paramref name="width"/> px. A page re-rendering after an
    /// action (a dialog just closed, a section redrawn) may be a pixel or two wider for a moment: asked again for up to 2 s.
    /// </summary>
    public static async Task FitsAsync(IPage page, int width)
    {
        string? overflow = null;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            // The width and what sticks out (deepest first: what to fix), measured in one go.
            overflow = await page.EvaluateAsync<string?>($$"""
                () => {
                  const wide = document.documentElement.scrollWidth;
                  if (wide <= {{width}}) return null;
                  const out = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > {{width}} + 0.5).reverse().slice(0, 5)
                    .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className ? "." + e.className : ""} "${e.textContent.slice(0, 40)}"`);
                  const name = (e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${typeof e.className === "string" && e.className ? "." + e.className : ""}`;
                  const inner = [...document.querySelectorAll("body, body *")].filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "auto")
                    .reverse().slice(0, 5).map((e) => `${name(e)} ${e.clientWidth}<${e.scrollWidth} "${e.textContent.slice(0, 60)}"`);
                  return `${wide} px wide: ${out.join("; ")} | wider inside: ${inner.join("; ")}`;
                }
                """);
            if (overflow is null) return;
            await Task.Delay(200);
        }
        Assert.Fail($"{page.Url} is {overflow} at {width} px");
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}
