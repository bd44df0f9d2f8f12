using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Tests.RegionalCenters;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// The broker workbench as a work queue (issue 18 item 5) and the trading index's default headline, in a real browser.
/// The queue's 200 leads are in 西南 (重庆, 四川, 贵州, 云南, 西藏), where no other portal test publishes.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class BrokerQueuePortalTests(PortalFixture portal) : IAsyncLifetime
{
    static readonly string[] Fields = ["NewEnergy", "BioMedicine", "ElectronicInformation", "AdvancedManufacturing"];
    static readonly string[] Provinces = ["重庆", "四川", "贵州", "云南", "西藏"];
    readonly List<IPage> pages = [];

    async Task<IPage> SignedInAsync(string account, string route, int width = 1366, int height = 768)
    {
        var page = await portal.SignedInPageAsync(account, route, width, height);
        pages.Add(page);
        return page;
    }

    static ILocator Filter(IPage page, string name) => page.Locator($"#queue-filters [name={name}]");

    static Task<int> RowsAsync(IPage page) => page.Locator("#lead-queue > li.queue-row").CountAsync();

    [Fact]
    public async Task A_broker_works_a_queue_of_200_leads_with_filters_and_paging_and_claims_one_from_it()
    {
        // 20 demands of the enterprise, each matched by 10 achievements of the university: 200 leads, all interested.
        var plans = Enumerable.Range(0, 200).Select(i => (Group: i / 10, Item: i % 10))
            .Select(p => new LeadPlan(p.Group, Fields[p.Group % 4], Provinces[(p.Group + p.Item) % 5], Provinces[p.Group % 5], Trl: 3 + p.Item % 6))
            .ToList();
        var leads = await QueueLeads.CreateAsync(await portal.SignedInClientAsync("demo-university"), await portal.SignedInClientAsync("demo-enterprise"), plans);
        Assert.Equal(200, leads.Count);
        // Groups 16–17 became leads 10 days ago, 18–19 40 days ago; nothing happened to them since.
        await QueueLeads.AgeAsync(portal.Database.ConnectionString, leads.Where(l => l.Plan.Group is 16 or 17).Select(l => l.Deal), TimeSpan.FromDays(10));
        await QueueLeads.AgeAsync(portal.Database.ConnectionString, leads.Where(l => l.Plan.Group >= 18).Select(l => l.Deal), TimeSpan.FromDays(40));

        var page = await SignedInAsync("demo-broker-southwest", "#/center");
        await Expect(page.Locator("main h1")).ToContainTextAsync("西南");
        await Expect(page.Locator("#stat-open")).ToHaveTextAsync("200");
        await Expect(page.Locator("#stat-unclaimed")).ToHaveTextAsync("200");
        await Expect(page.Locator("#stat-mine")).ToHaveTextAsync("0");
        await Expect(page.Locator("#stat-quiet")).ToHaveTextAsync("40");
        await Expect(page.Locator("#queue-count")).ToContainTextAsync("共 200 条，第 1 / 10 页");
        Assert.Equal(20, await RowsAsync(page));
        await Expect(page.Locator(".chart canvas").First).ToBeVisibleAsync();
        // A page of the queue, charts on top, fits in a few screens; rows name organizations, never ids.
        var height = await page.EvaluateAsync<int>("document.documentElement.scrollHeight");
        Assert.True(height < 3000, $"the workbench is {height}px tall at 1366x768");
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotMatch(new Regex(@"\b(org|acct|mat)-[\w-]+|undefined"), text);
        // Both organizations by name, each with its 信誉 grade once it has one (ReputationPortalTests shows the chips).
        await Expect(page.Locator("#lead-queue > li").First).ToContainTextAsync(new Regex(@"演示大学（江苏）(信誉 [A-D])? ↔ 演示科技有限公司（广东）(信誉 [A-D])?"));
        await PortalFixture.ScreenshotAsync(page, "broker-queue-1366x768");

        // Paging: the next page is other leads, and the address keeps it.
        var first = await page.Locator("#lead-queue > li").First.GetAttributeAsync("data-deal");
        await page.Locator("#lead-queue ~ .pager").GetByRole(AriaRole.Button, new() { Name = "下一页" }).ClickAsync();
        await Expect(page.Locator("#queue-count")).ToContainTextAsync("第 2 / 10 页");
        await Expect(page.Locator("#lead-queue > li").First).Not.ToHaveAttributeAsync("data-deal", first!);
        await Expect(page).ToHaveURLAsync(new Regex(@"#/center\?.*page=2"));
        Assert.Equal(20, await RowsAsync(page));

        // Filters: field, province (either side), lead age, best score first.
        await Filter(page, "techField").SelectOptionAsync("BioMedicine");
        await Filter(page, "province").SelectOptionAsync("四川");
        await Filter(page, "age").SelectOptionAsync("30d");
        await Filter(page, "sort").SelectOptionAsync("score");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        var expected = plans.Count(p => p.TechField == "BioMedicine" && (p.AchievementProvince == "四川" || p.DemandProvince == "四川") && p.Group < 18);
        Assert.True(expected > 0);
        await Expect(page.Locator("#queue-count")).ToContainTextAsync($"共 {expected} 条，第 1 / ");
        var scores = await ScoresAsync(page);
        Assert.Equal(scores.OrderDescending(), scores);
        foreach (var row in await page.Locator("#lead-queue > li").AllAsync())
        {
            await Expect(row).ToContainTextAsync("生物与新医药");
            await Expect(row).ToContainTextAsync("四川");
        }

        // A score floor: only rows at or above it, as many as the server counts for the same question.
        var floor = scores[scores.Count / 2];
        await Filter(page, "minScore").FillAsync(floor.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        var api = await portal.SignedInClientAsync("demo-broker-southwest");
        var answer = await api.GetFromJsonAsync<JsonElement>(
            $"/api/regions/southwest/leads?queue=open&techField=BioMedicine&province={Uri.EscapeDataString("四川")}&age=30d&minScore={floor}");
        await Expect(page.Locator("#queue-count")).ToContainTextAsync($"共 {answer.GetProperty("total").GetInt32()} 条");
        Assert.All(await ScoresAsync(page), s => Assert.True(s >= floor));

        // Reset, then the longest waiting first: the leads untouched for 40 days.
        await page.GetByRole(AriaRole.Button, new() { Name = "重置" }).ClickAsync();
        await Expect(page.Locator("#queue-count")).ToContainTextAsync("共 200 条");
        await Filter(page, "sort").SelectOptionAsync("oldest");
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Expect(page.Locator("#lead-queue > li").First).ToContainTextAsync("40 天无进展");

        // The unclaimed ones (a count opens its part of the queue); one is claimed from its row, after a confirmation.
        await page.Locator("a.stat[data-queue='unclaimed']").ClickAsync();
        await Expect(page.Locator("#queue-count")).ToContainTextAsync("待认领：共 200 条");
        var row1 = page.Locator("#lead-queue > li").First;
        var deal = await row1.GetAttributeAsync("data-deal");
        await row1.GetByRole(AriaRole.Button, new() { Name = "认领" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("其他经纪人将不能再认领");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认认领" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"#/deals/{deal}$"));
        await Expect(page.Locator(".stages .current")).ToHaveTextAsync("对接");

        await page.GotoAsync("/#/center?queue=mine");
        await Expect(page.Locator("#stat-mine")).ToHaveTextAsync("1");
        await Expect(page.Locator("#stat-unclaimed")).ToHaveTextAsync("199");
        await Expect(page.Locator("#lead-queue > li")).ToHaveCountAsync(1);
        await Expect(page.Locator($"#lead-queue > li[data-deal='{deal}']")).ToContainTextAsync("牵头：西南技术经纪人");
        await Expect(page.Locator($"#lead-queue > li[data-deal='{deal}']").GetByRole(AriaRole.Button, new() { Name = "认领" })).ToHaveCountAsync(0);

        // The same page at phone width: nothing scrolls sideways.
        var phone = await SignedInAsync("demo-broker-southwest", "#/center", 390, 844);
        await Expect(phone.Locator("#queue-count")).ToContainTextAsync("共 200 条");
        var overflow = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the workbench at 390px scrolls sideways by {overflow}px");
        await PortalFixture.ScreenshotAsync(phone, "broker-queue-390x844");
    }

    static async Task<List<int>> ScoresAsync(IPage page) =>
        [.. (await page.Locator("#lead-queue > li .score").AllInnerTextsAsync()).Select(t => int.Parse(Regex.Match(t, @"\d+").Value))];

    [Fact]
    public async Task The_trading_index_headline_shows_a_number_once_a_contract_is_registered()
    {
        // A lead in 海峡两岸及山东 (山东, 福建), claimed, signed and registered through the API, as a broker does.
        var lead = (await QueueLeads.CreateAsync(await portal.SignedInClientAsync("demo-university"), await portal.SignedInClientAsync("demo-enterprise"),
            [new LeadPlan(0, "NewEnergy", "山东", "福建")])).Single();
        var broker = await portal.SignedInClientAsync("demo-broker-east-coast");
        foreach (var (path, body) in new (string, object)[]
        {
            ($"/api/deals/{lead.Deal}/claim", new { }),
            ($"/api/deals/{lead.Deal}/stage", new { stage = "Negotiating" }),
            ($"/api/deals/{lead.Deal}/stage", new { stage = "ContractSigned" }),
            ($"/api/deals/{lead.Deal}/contract", new
            {
                type = "License", contractAmount = 300m, techTransactionAmount = 280m, seller = "演示大学", buyer = "演示科技有限公司",
                signingDate = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"),
            }),
        })
        {
            var response = await broker.PostAsJsonAsync(path, body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {await response.Content.ReadAsStringAsync()}");
        }
        await Eventually.TrueAsync(async () =>
            (await portal.Host.CreateClient().GetFromJsonAsync<JsonElement>("/api/trading-index")).GetProperty("registeredCount").GetInt32() > 0,
            "the index counts the registration");

        var page = await portal.NewPageAsync();
        pages.Add(page);
        await page.GotoAsync("/#/trading"); // the default range and base, as anyone first sees them
        await Expect(page.Locator("#trading-latest")).ToHaveTextAsync(new Regex(@"^\d[\d,]*(\.\d+)?$"));
        await Expect(page.Locator("#trading-latest-label")).ToHaveTextAsync(new Regex(@"^最新月指数（\d{4}-\d{2}）$"));
        await Expect(page.Locator("#trading-empty")).ToHaveCountAsync(0);
        Assert.NotEqual("0", await page.Locator("#trading-count").InnerTextAsync());
        await PortalFixture.ScreenshotAsync(page, "trading-index-default-1366x768");
        var phone = await portal.NewPageAsync(390, 844);
        pages.Add(phone);
        await phone.GotoAsync("/#/trading");
        await Expect(phone.Locator("#trading-latest")).ToHaveTextAsync(new Regex(@"^\d"));
        await PortalFixture.ScreenshotAsync(phone, "trading-index-default-390x844");
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
