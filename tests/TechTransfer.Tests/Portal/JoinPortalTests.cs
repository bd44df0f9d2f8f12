using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TechTransfer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// Issue 18, "join / who is who", in Chromium without the API: an organization applies, the center of its province
/// verifies it, its admin invites a member, who changes the temporary password; a password reset; the organization page.
/// Every journey fails on a script error or on a refused API request it did not expect.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class JoinPortalTests(PortalFixture portal) : IAsyncLifetime
{
    readonly List<IPage> pages = [];
    readonly List<string> refused = [];
    readonly List<Regex> expectedRefusals = [];

    async Task<IPage> NewPageAsync(int width = 1366, int height = 768)
    {
        var page = await portal.NewPageAsync(width, height);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && new Uri(response.Url).AbsolutePath.StartsWith("/api", StringComparison.Ordinal))
                lock (refused) refused.Add($"{response.Status} {response.Request.Method} {new Uri(response.Url).AbsolutePath}");
        };
        pages.Add(page);
        return page;
    }

    async Task<IPage> SignedInAsync(string account, string route, int width = 1366, int height = 768)
    {
        var page = await NewPageAsync(width, height);
        await SignInAsync(page, account, Demo.DemoSeeder.Password, route);
        await Expect(page.Locator("#live")).ToHaveAttributeAsync("data-status", "online");
        return page;
    }

    static async Task SignInAsync(IPage page, string account, string password, string route = "#/feed")
    {
        await page.GotoAsync($"/#/login?next={Uri.EscapeDataString(route)}");
        await page.GetByLabel("账号").FillAsync(account);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
    }

    static string FreshAccount() => "p-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Fills and sends 机构入驻申请 as a visitor would.</summary>
    static async Task ApplyAsync(IPage page, string name, string kind, string province, string account, string password)
    {
        await page.GetByLabel("机构名称").FillAsync(name);
        await page.GetByLabel("机构类型").SelectOptionAsync(new SelectOptionValue { Label = kind });
        await page.GetByLabel("所在省份").SelectOptionAsync(province);
        await page.GetByLabel("联系电话").FillAsync("0571-87951234");
        await page.GetByLabel("登录账号").FillAsync(account);
        await page.GetByLabel("姓名").FillAsync("陈主任");
        await page.GetByLabel("登录密码").FillAsync(password);
        await page.GetByLabel("确认密码").FillAsync(password);
    }

    /// <summary>An approved organization (via the API) with its admin's client: the scene for the later journeys.</summary>
    async Task<(string Organization, string Admin, HttpClient Client)> ApprovedOrganizationAsync(string name, string kind = "University")
    {
        var admin = FreshAccount();
        var anonymous = portal.Host.CreateClient();
        var applied = await anonymous.PostAsJsonAsync("/api/organizations/applications",
            new { name, kind, province = "浙江", phone = "0571-87950000", account = admin, displayName = "周管理员", password = "admin-pass-2026" });
        Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync());
        var organization = (await applied.BodyAsync()).GetProperty("organization").GetProperty("id").GetString()!;
        var approved = await (await portal.SignedInClientAsync("demo-center")).PostAsJsonAsync($"/api/organizations/{organization}/verification", new { verified = true });
        Assert.True(approved.IsSuccessStatusCode);
        var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { account = admin, password = "admin-pass-2026" });
        var client = portal.Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.BodyAsync()).GetProperty("token").GetString());
        return (organization, admin, client);
    }

    [Fact]
    public async Task An_organization_applies_the_center_of_its_province_verifies_it_its_admin_invites_a_member_who_changes_the_temporary_password()
    {
        var admin = FreshAccount();
        var name = $"浙江测试理工大学{admin[^4..]}";

        // A visitor finds 机构入驻申请 on the home page and applies.
        var applicant = await NewPageAsync();
        await applicant.GotoAsync("/#/");
        await applicant.Locator("#home-join").ClickAsync();
        await Expect(applicant.Locator("main h1")).ToHaveTextAsync("机构入驻申请");
        // The server's messages appear under the fields they name.
        await applicant.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await Expect(applicant.Locator(".field[data-field=name] .error")).ToHaveTextAsync("名称不能为空");
        await Expect(applicant.Locator(".field[data-field=phone] .error")).ToHaveTextAsync("电话与邮箱至少填一项");
        expectedRefusals.Add(new("^400 POST /api/organizations/applications$"));
        await ApplyAsync(applicant, name, "高校", "浙江", admin, "apply-pass-2026");
        await PortalFixture.ScreenshotAsync(applicant, "join-apply");
        await applicant.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();

        // Signed in at once, the applicant reads who reviews the application.
        await Expect(applicant.Locator("main h1")).ToHaveTextAsync("我的账号");
        await Expect(applicant.Locator("#standing")).ToContainTextAsync("待认证：由长三角区域服务中心审核");
        await Expect(applicant.Locator("#profile-org")).ToHaveTextAsync(name);
        await Expect(applicant.Locator("#profile-role")).ToHaveTextAsync("机构管理员");
        await PortalFixture.ScreenshotAsync(applicant, "join-profile-pending");
        await applicant.GotoAsync("/#/search");
        // The search page first: the route re-renders the header, which would close a menu opened before it.
        await Expect(applicant.Locator("main h1")).ToHaveTextAsync("搜索科技成果与技术需求");
        await Expect(applicant.Locator("#standing")).ToContainTextAsync("待认证：由长三角区域服务中心审核");
        // No colleagues before the center approves.
        await applicant.GetByRole(AriaRole.Button, new() { Name = "我的", Exact = true }).ClickAsync(); // the 我的 menu
        await applicant.GetByRole(AriaRole.Link, new() { Name = "机构成员" }).ClickAsync();
        await Expect(applicant.GetByRole(AriaRole.Button, new() { Name = "添加成员" })).ToBeDisabledAsync();

        // The center admin of 长三角 (浙江's center) approves it from the queue, after a confirmation.
        var center = await SignedInAsync("demo-center", "#/applications");
        var card = center.Locator("#applications li", new() { HasText = name });
        await Expect(card).ToContainTextAsync("高校");
        await Expect(card).ToContainTextAsync("浙江");
        await Expect(card).ToContainTextAsync("0571-87951234");
        await PortalFixture.ScreenshotAsync(center, "join-applications");
        await card.GetByRole(AriaRole.Button, new() { Name = "通过认证" }).ClickAsync();
        var dialog = center.Locator("dialog.confirm");
        await Expect(dialog).ToContainTextAsync(name);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "通过认证" }).ClickAsync();
        await Expect(center.Locator("#applications li", new() { HasText = name })).ToHaveCountAsync(0);
        await center.Locator(".tabs a", new() { HasText = "已通过" }).ClickAsync();
        await Expect(center.Locator("#applications li", new() { HasText = name })).ToContainTextAsync("通过");

        // The applicant is told on the next page, and invites a member; the initial password is shown once.
        await applicant.GotoAsync("/#/search");
        await applicant.ReloadAsync();
        await Expect(applicant.Locator("#standing")).ToContainTextAsync("通过长三角区域服务中心认证");
        await applicant.GetByRole(AriaRole.Button, new() { Name = "我的", Exact = true }).ClickAsync(); // the 我的 menu
        await applicant.GetByRole(AriaRole.Link, new() { Name = "机构成员" }).ClickAsync();
        var member = FreshAccount();
        await applicant.GetByLabel("登录账号").FillAsync(member);
        await applicant.GetByLabel("姓名").FillAsync("林研究员");
        await applicant.GetByLabel("角色").SelectOptionAsync("Member");
        await applicant.GetByRole(AriaRole.Button, new() { Name = "添加成员" }).ClickAsync();
        var temporary = (await applicant.Locator("#temporary-password").InnerTextAsync()).Trim();
        Assert.Matches("^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$", temporary);
        await Expect(applicant.Locator("#members tr", new() { HasText = "林研究员" })).ToContainTextAsync("待修改临时密码");
        await Expect(applicant.Locator("#members tr", new() { HasText = "林研究员" })).ToContainTextAsync("成员");
        await PortalFixture.ScreenshotAsync(applicant, "join-members");

        // The member signs in with it and must choose a new password before anything else.
        var colleague = await NewPageAsync();
        await SignInAsync(colleague, member, temporary);
        await Expect(colleague.Locator("main h1")).ToHaveTextAsync("请修改临时密码");
        await colleague.GotoAsync("/#/feed");
        await Expect(colleague.Locator("main h1")).ToHaveTextAsync("请修改临时密码");
        await PortalFixture.ScreenshotAsync(colleague, "join-forced-password-change");
        await colleague.GetByLabel("临时密码").FillAsync(temporary);
        await colleague.GetByLabel("新密码", new() { Exact = true }).FillAsync("lin-own-pass-2026");
        await colleague.GetByLabel("确认新密码").FillAsync("lin-own-pass-2026");
        await colleague.GetByRole(AriaRole.Button, new() { Name = "修改密码" }).ClickAsync();
        await Expect(colleague.Locator("main h1")).ToHaveTextAsync("我的账号");
        await Expect(colleague.Locator("#live")).ToHaveAttributeAsync("data-status", "online");
        await Expect(colleague.Locator("#profile-account")).ToHaveTextAsync(member);
        await Expect(colleague.Locator("#profile-role")).ToHaveTextAsync("成员");
        await Expect(colleague.Locator("#profile-standing")).ToHaveTextAsync("已认证");
        await Expect(colleague.Locator("#who")).ToContainTextAsync("林研究员");
        await PortalFixture.ScreenshotAsync(colleague, "join-profile");
        await colleague.Locator("#profile-org").ClickAsync();
        await Expect(colleague.Locator("main h1")).ToContainTextAsync(name);
        await Expect(colleague.Locator("#org-verified")).ToHaveTextAsync("已认证");
        await Expect(colleague.Locator("#org-members")).ToBeVisibleAsync(); // an insider
    }

    [Fact]
    public async Task An_admin_resets_a_members_password_the_members_sign_in_ends_and_the_temporary_password_must_be_changed()
    {
        var (organization, admin, client) = await ApprovedOrganizationAsync($"浙江重置测试研究院{Guid.NewGuid().ToString("N")[..4]}", "Institute");
        var member = FreshAccount();
        var added = await client.PostAsJsonAsync($"/api/organizations/{organization}/accounts",
            new { account = member, displayName = "吴工程师", role = "Member", password = "wu-pass-2026-x" });
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());

        var memberPage = await NewPageAsync();
        await SignInAsync(memberPage, member, "wu-pass-2026-x", "#/me");
        await Expect(memberPage.Locator("main h1")).ToHaveTextAsync("我的账号");

        var adminPage = await NewPageAsync();
        await SignInAsync(adminPage, admin, "admin-pass-2026", $"#/organizations/{organization}/members");
        var row = adminPage.Locator("#members tr", new() { HasText = "吴工程师" });
        await row.GetByRole(AriaRole.Button, new() { Name = "重置密码" }).ClickAsync();
        var dialog = adminPage.Locator("dialog.confirm");
        await Expect(dialog).ToContainTextAsync("吴工程师");
        await Expect(dialog).ToContainTextAsync("登录立即失效");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "重置密码" }).ClickAsync();
        var temporary = (await adminPage.Locator("#temporary-password").InnerTextAsync()).Trim();
        await Expect(adminPage.Locator("#secret")).ToContainTextAsync("只显示这一次");
        await Expect(adminPage.Locator("#members tr", new() { HasText = "吴工程师" })).ToContainTextAsync("待修改临时密码");
        await PortalFixture.ScreenshotAsync(adminPage, "join-password-reset");

        // The member's sign-in has ended everywhere: the next page load finds it signed out.
        expectedRefusals.Add(new("^401 GET /api/auth/me$"));
        expectedRefusals.Add(new("^401 GET /api/organizations/"));
        await memberPage.ReloadAsync();
        await Expect(memberPage.Locator("#who")).ToHaveTextAsync("登录");
        await SignInAsync(memberPage, member, temporary, "#/me");
        await Expect(memberPage.Locator("main h1")).ToHaveTextAsync("请修改临时密码");
        await memberPage.GetByLabel("临时密码").FillAsync(temporary);
        await memberPage.GetByLabel("新密码", new() { Exact = true }).FillAsync(temporary);
        await memberPage.GetByLabel("确认新密码").FillAsync(temporary);
        await memberPage.GetByRole(AriaRole.Button, new() { Name = "修改密码" }).ClickAsync();
        await Expect(memberPage.Locator(".field[data-field=newPassword] .error")).ToHaveTextAsync("新密码与当前值相同");
        expectedRefusals.Add(new("^400 POST /api/auth/password$"));
        await memberPage.GetByLabel("新密码", new() { Exact = true }).FillAsync("wu-new-pass-2026");
        await memberPage.GetByLabel("确认新密码").FillAsync("wu-new-pass-2026");
        await memberPage.GetByRole(AriaRole.Button, new() { Name = "修改密码" }).ClickAsync();
        await Expect(memberPage.Locator("main h1")).ToHaveTextAsync("我的账号");
        await Expect(memberPage.Locator("#live")).ToHaveAttributeAsync("data-status", "online");

        // The name is the member's own to change.
        await memberPage.GetByLabel("姓名").FillAsync("吴高级工程师");
        await memberPage.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(memberPage.Locator("#who")).ToContainTextAsync("吴高级工程师");
        await Expect(adminPage.Locator("#members")).ToBeVisibleAsync();
        await adminPage.ReloadAsync();
        await Expect(adminPage.Locator("#members tr", new() { HasText = "吴高级工程师" })).ToContainTextAsync("正常");
    }

    [Fact]
    public async Task A_listing_names_its_publisher_and_links_to_an_organization_page_with_its_listings_and_record()
    {
        var name = $"浙江成果转化测试大学{Guid.NewGuid().ToString("N")[..4]}";
        var (organization, _, client) = await ApprovedOrganizationAsync(name);
        var word = Samples.UniqueWord();
        var achievement = await client.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 低温等离子体废气处理装置"));

        var page = await NewPageAsync();
        await page.GotoAsync($"/#/achievements/{achievement}");
        await Expect(page.Locator("#publisher")).ToHaveTextAsync(name);
        await page.Locator("#publisher").ClickAsync();
        await Expect(page.Locator("main h1")).ToContainTextAsync(name);
        await Expect(page.Locator("#org-kind")).ToHaveTextAsync("高校");
        await Expect(page.Locator("#org-province")).ToHaveTextAsync("浙江");
        await Expect(page.Locator("#org-verified")).ToHaveTextAsync("已认证");
        await Expect(page.Locator("#rec-achievements")).ToHaveTextAsync("1");
        await Expect(page.Locator($"#org-achievements a[href='#/achievements/{achievement}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#org-members")).ToHaveCountAsync(0); // members are for insiders
        await Expect(page.Locator("main")).Not.ToContainTextAsync("0571"); // nor is the application's contact
        await PortalFixture.ScreenshotAsync(page, "join-organization");

        // A pending applicant's page is not public.
        var pending = await portal.Host.CreateClient().PostAsJsonAsync("/api/organizations/applications", new
        {
            name = "尚未审核的公司", kind = "Enterprise", province = "浙江", email = "x@example.cn", account = FreshAccount(), displayName = "某人", password = "pending-pass-2026",
        });
        var pendingId = (await pending.BodyAsync()).GetProperty("organization").GetProperty("id").GetString();
        expectedRefusals.Add(new("^404 GET /api/organizations/"));
        await page.GotoAsync($"/#/organizations/{pendingId}");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("未找到");
    }

    [Fact]
    public async Task The_join_pages_fit_a_phone_and_are_captured_at_390_by_844()
    {
        var (organization, admin, client) = await ApprovedOrganizationAsync($"手机宽度测试大学{Guid.NewGuid().ToString("N")[..4]}");
        await client.PostAsJsonAsync($"/api/organizations/{organization}/accounts", new { account = FreshAccount(), displayName = "郑同事", role = "Member" });
        await portal.Host.CreateClient().PostAsJsonAsync("/api/organizations/applications", new
        {
            name = "手机宽度待审核公司", kind = "Enterprise", province = "上海", phone = "021-55550000", account = FreshAccount(), displayName = "某人", password = "phone-pass-2026",
        });

        async Task FitsAsync(IPage page, string screenshot)
        {
            await Expect(page.Locator("main h1")).Not.ToHaveTextAsync(new Regex("加载中|出错了|页面不存在"));
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"{page.Url} is {width} px wide at 390");
            await PortalFixture.ScreenshotAsync(page, screenshot);
        }

        var visitor = await NewPageAsync(390, 844);
        await visitor.GotoAsync("/#/join");
        await FitsAsync(visitor, "join-apply-390");

        var adminPage = await NewPageAsync(390, 844);
        await SignInAsync(adminPage, admin, "admin-pass-2026", $"#/organizations/{organization}/members");
        await Expect(adminPage.Locator("#members")).ToContainTextAsync("郑同事");
        await FitsAsync(adminPage, "join-members-390");
        await adminPage.GotoAsync("/#/me");
        await Expect(adminPage.Locator("#profile-role")).ToHaveTextAsync("机构管理员");
        await FitsAsync(adminPage, "join-profile-390");
        await adminPage.GotoAsync($"/#/organizations/{organization}");
        await Expect(adminPage.Locator("#org-record")).ToBeVisibleAsync();
        await FitsAsync(adminPage, "join-organization-390");

        var center = await SignedInAsync("demo-center", "#/applications", 390, 844);
        await Expect(center.Locator("#applications li", new() { HasText = "手机宽度待审核公司" })).ToBeVisibleAsync();
        await FitsAsync(center, "join-applications-390");
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
        var unexpected = refused.Where(r => !expectedRefusals.Any(e => e.IsMatch(r))).ToList();
        Assert.True(unexpected.Count == 0, "refused requests: " + string.Join(" | ", unexpected));
    }
}
