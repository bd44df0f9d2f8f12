using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Organizations;

/// <summary>
/// Issue 18, "join / who is who": an organization applies (anonymous), the center of its province decides, its
/// admin adds members and resets passwords; who may do each is decided on the server.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class JoinApiTests(ApiFixture api)
{
    const string Password = "apply-pass-2026";

    static string FreshAccount() => "j-" + Guid.NewGuid().ToString("N")[..12];

    static object Application(string account, string province = "浙江", string kind = "Enterprise", string? name = null,
        string? phone = "0571-88886666", string? email = null, string password = Password) =>
        new { name = name ?? $"测试申请科技有限公司{account[^4..]}", kind, province, phone, email, account, displayName = "申请人张工", password };

    async Task<(string Organization, string Account)> AppliedAsync(string province = "浙江", string kind = "Enterprise")
    {
        var account = FreshAccount();
        var response = await api.Anonymous().PostAsJsonAsync("/api/organizations/applications", Application(account, province, kind));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.BodyAsync()).GetProperty("organization").GetProperty("id").GetString()!, account);
    }

    async Task<HttpClient> SignedInAsync(string account, string password = Password)
    {
        var client = api.Anonymous();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { account, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", (await login.BodyAsync()).GetProperty("token").GetString());
        return client;
    }

    static async Task<string> CodeAsync(HttpResponseMessage response) =>
        (await response.BodyAsync()).TryGetProperty("code", out var code) ? code.GetString()! : $"HTTP {(int)response.StatusCode}";

    static Task<HttpResponseMessage> DecideAsync(HttpClient client, string organization, bool verified, string? reason = null) =>
        client.PostAsJsonAsync($"/api/organizations/{organization}/verification", new { verified, reason });

    async Task<List<JsonElement>> PendingSeenByAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync($"/api/organizations/applications?size=100{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.BodyAsync()).GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task An_applicant_signs_in_as_the_admin_of_a_pending_organization_that_is_not_public_and_may_not_publish_or_invite()
    {
        var (organization, account) = await AppliedAsync("浙江");
        var applicant = await SignedInAsync(account);

        var me = await (await applicant.GetAsync("/api/auth/me")).BodyAsync();
        Assert.Equal(organization, me.GetProperty("organizationId").GetString());
        Assert.Equal("OrganizationAdmin", me.GetProperty("role").GetString());
        Assert.Equal("申请人张工", me.GetProperty("displayName").GetString());

        var own = await (await applicant.GetAsync($"/api/organizations/{organization}")).BodyAsync();
        Assert.Equal("Pending", own.GetProperty("standing").GetString());
        Assert.False(own.GetProperty("verified").GetBoolean());
        Assert.Equal("长三角区域服务中心", own.GetProperty("reviewingCenter").GetProperty("name").GetString());
        Assert.Equal("0571-88886666", own.GetProperty("application").GetProperty("phone").GetString());

        // Nothing of an application is public before it is approved.
        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync($"/api/organizations/{organization}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await api.SignedInAsync("demo-enterprise")).GetAsync($"/api/organizations/{organization}")).StatusCode);

        // A draft, yes; publishing it, adding a colleague: not before the center approves.
        var draft = await applicant.PostAsJsonAsync("/api/demands", Samples.Demand());
        Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
        var id = (await draft.BodyAsync()).GetProperty("id").GetString();
        var publish = await applicant.PostAsync($"/api/demands/{id}/publish", null);
        Assert.Equal(HttpStatusCode.Forbidden, publish.StatusCode);
        Assert.Equal("organization-not-admitted", await CodeAsync(publish));
        var invite = await applicant.PostAsJsonAsync($"/api/organizations/{organization}/accounts",
            new { account = FreshAccount(), displayName = "同事", role = "Member" });
        Assert.Equal("organization-not-admitted", await CodeAsync(invite));
    }

    [Fact]
    public async Task The_same_application_again_answers_the_same_organization_and_a_taken_or_reserved_name_is_refused()
    {
        var account = FreshAccount();
        var first = await (await api.Anonymous().PostAsJsonAsync("/api/organizations/applications", Application(account))).BodyAsync();
        var retry = await api.Anonymous().PostAsJsonAsync("/api/organizations/applications", Application(account));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.GetProperty("organization").GetProperty("id").GetString(),
            (await retry.BodyAsync()).GetProperty("organization").GetProperty("id").GetString());

        // Someone else on the same name (another organization, or the same with another password) is 409.
        var other = await api.Anonymous().PostAsJsonAsync("/api/organizations/applications", Application(account, name: "另一家公司"));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var guess = await api.Anonymous().PostAsJsonAsync("/api/organizations/applications", Application(account, password: "another-pass-2026"));
        Assert.Equal(HttpStatusCode.Conflict, guess.StatusCode);
        var existing = await api.Anonymous().PostAsJsonAsync("/api/organizations/applications", Application("demo-university"));
        Assert.Equal(HttpStatusCode.Conflict, existing.StatusCode);

        foreach (var reserved in new[] { "admin", "national-office", "torch-x" })
        {
            var refused = await api.Anonymous().PostAsJsonAsync("/api/organizations/applications", Application(reserved));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("reserved", (await refused.BodyAsync()).GetProperty("errors")[0].GetProperty("rule").GetString());
        }
    }

    [Fact]
    public async Task A_bad_application_names_every_field_and_centers_or_the_national_level_cannot_apply()
    {
        var bad = await api.Anonymous().PostAsJsonAsync("/api/organizations/applications",
            new { name = "", kind = "ServiceCenter", province = "火星", phone = "", email = "", account = "a b", displayName = "", password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.BodyAsync()).GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["account", "displayName", "kind", "name", "password", "phone", "province"], errors.Select(e => e.GetProperty("field").GetString()).Order());
        Assert.Contains(errors, e => e.GetProperty("zh").GetString() == "电话与邮箱至少填一项");
        Assert.Contains(errors, e => e.GetProperty("zh").GetString() == "机构类型不能是“ServiceCenter”");

        var national = await api.Anonymous().PostAsJsonAsync("/api/organizations/applications", Application(FreshAccount(), kind: "National"));
        Assert.Equal(HttpStatusCode.BadRequest, national.StatusCode);
        var byEmail = await api.Anonymous().PostAsJsonAsync("/api/organizations/applications", Application(FreshAccount(), phone: null, email: "tto@example.edu.cn"));
        Assert.Equal(HttpStatusCode.Created, byEmail.StatusCode);
    }

    [Fact]
    public async Task Only_the_center_of_the_province_and_the_national_level_list_and_decide_applications()
    {
        var (organization, account) = await AppliedAsync("浙江"); // 长三角: demo-center
        var path = $"/api/organizations/{organization}/verification";

        // Who may not: anonymous, the applicant itself, another organization's admin, a broker, a center admin of another region.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/organizations/applications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsJsonAsync(path, new { verified = true })).StatusCode);
        foreach (var client in new[] { await SignedInAsync(account), await api.SignedInAsync("demo-enterprise"), await api.SignedInAsync("demo-broker") })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/organizations/applications")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await DecideAsync(client, organization, true)).StatusCode);
        }
        var otherCenter = await api.SignedInAsync("demo-center-jing-jin-ji");
        Assert.DoesNotContain(await PendingSeenByAsync(otherCenter), a => a.GetProperty("organizationId").GetString() == organization);
        Assert.Equal(HttpStatusCode.Forbidden, (await DecideAsync(otherCenter, organization, true)).StatusCode);

        // Who may: the center of 浙江 sees it with its contact and time, newest first; so does the national level.
        var center = await api.SignedInAsync("demo-center");
        var pending = await PendingSeenByAsync(center);
        var row = Assert.Single(pending, a => a.GetProperty("organizationId").GetString() == organization);
        Assert.Equal("0571-88886666", row.GetProperty("phone").GetString());
        Assert.Equal("Enterprise", row.GetProperty("kind").GetString());
        Assert.Equal("浙江", row.GetProperty("province").GetString());
        var times = pending.Select(a => a.GetProperty("appliedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.All(pending, a => Assert.Equal("yangtze-delta", a.GetProperty("regionCode").GetString()));
        Assert.Contains(await PendingSeenByAsync(await api.SignedInAsync("demo-national")), a => a.GetProperty("organizationId").GetString() == organization);

        // A rejection needs its reason; the applicant reads it.
        var noReason = await DecideAsync(center, organization, false);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("reason", (await noReason.BodyAsync()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(center, organization, false, "营业执照信息与机构名称不一致")).StatusCode);
        var seen = await (await (await SignedInAsync(account)).GetAsync($"/api/organizations/{organization}")).BodyAsync();
        Assert.Equal("Rejected", seen.GetProperty("standing").GetString());
        Assert.Equal("营业执照信息与机构名称不一致", seen.GetProperty("application").GetProperty("reason").GetString());
        Assert.DoesNotContain(await PendingSeenByAsync(center), a => a.GetProperty("organizationId").GetString() == organization);
        Assert.Contains(await PendingSeenByAsync(center, "&status=Rejected"), a => a.GetProperty("organizationId").GetString() == organization);
    }

    [Fact]
    public async Task Once_approved_the_organization_is_public_verified_may_publish_and_its_admin_invites_a_member_who_must_change_the_temporary_password()
    {
        var (organization, account) = await AppliedAsync("浙江");
        var approved = await DecideAsync(await api.SignedInAsync("demo-center"), organization, true);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        var page = await (await api.Anonymous().GetAsync($"/api/organizations/{organization}")).BodyAsync();
        Assert.Equal("Approved", page.GetProperty("standing").GetString());
        Assert.True(page.GetProperty("verified").GetBoolean());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("application").ValueKind); // the contact stays private
        Assert.Empty(page.GetProperty("members").EnumerateArray());

        var admin = await SignedInAsync(account);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/demands", Samples.Demand())).StatusCode);
        var published = await admin.CreatePublishedAsync("/api/demands", Samples.Demand());
        var record = await (await api.Anonymous().GetAsync($"/api/organizations/{organization}/record")).BodyAsync();
        Assert.Equal(1, record.GetProperty("publishedDemands").GetInt64());
        Assert.Equal(0, record.GetProperty("publishedAchievements").GetInt64());
        Assert.NotNull(published);

        var member = FreshAccount();
        var invited = await admin.PostAsJsonAsync($"/api/organizations/{organization}/accounts", new { account = member, displayName = "李研发", role = "Member" });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        Assert.Equal("no-store", invited.Headers.CacheControl?.ToString());
        var temporary = (await invited.BodyAsync()).GetProperty("temporaryPassword").GetString()!;
        Assert.True(temporary.Length >= 10);

        var login = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { account = member, password = temporary });
        var body = await login.BodyAsync();
        Assert.True(body.GetProperty("me").GetProperty("mustChangePassword").GetBoolean());
        var temp = api.Anonymous();
        temp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        // Only the password change is open to a temporary password's token.
        var refused = await temp.GetAsync("/api/deals");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("password-change-required", await CodeAsync(refused));
        Assert.Equal("password-change-required", await CodeAsync(await temp.PostAsJsonAsync("/api/demands", Samples.Demand())));
        Assert.Equal(HttpStatusCode.OK, (await temp.GetAsync("/api/auth/me")).StatusCode);
        var same = await temp.PostAsJsonAsync("/api/auth/password", new { currentPassword = temporary, newPassword = temporary });
        Assert.Equal("unchanged", (await same.BodyAsync()).GetProperty("errors")[0].GetProperty("rule").GetString());
        var changed = await temp.PostAsJsonAsync("/api/auth/password", new { currentPassword = temporary, newPassword = "member-own-pass-2026" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.False((await changed.BodyAsync()).GetProperty("me").GetProperty("mustChangePassword").GetBoolean());
        var fresh = await SignedInAsync(member, "member-own-pass-2026");
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/deals")).StatusCode);

        // The member list names people and roles, for insiders only.
        var members = await (await fresh.GetAsync($"/api/organizations/{organization}/members")).BodyAsync();
        Assert.Equal(2, members.GetProperty("total").GetInt64());
        Assert.Contains(members.GetProperty("items").EnumerateArray(), m => m.GetProperty("displayName").GetString() == "李研发" && m.GetProperty("role").GetString() == "Member");
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.SignedInAsync("demo-enterprise")).GetAsync($"/api/organizations/{organization}/members")).StatusCode);
        // A member invites nobody.
        Assert.Equal(HttpStatusCode.Forbidden, (await fresh.PostAsJsonAsync($"/api/organizations/{organization}/accounts",
            new { account = FreshAccount(), displayName = "某人", role = "Member" })).StatusCode);
    }

    [Fact]
    public async Task Password_resets_follow_the_matrix_revoke_every_token_and_force_a_change()
    {
        var (organization, account) = await AppliedAsync("浙江");
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(await api.SignedInAsync("demo-national"), organization, true)).StatusCode);
        var admin = await SignedInAsync(account);
        var member = FreshAccount();
        await admin.PostAsJsonAsync($"/api/organizations/{organization}/accounts", new { account = member, displayName = "王成员", role = "Member", password = "member-pass-2026" });
        var memberClient = await SignedInAsync(member, "member-pass-2026");
        string Reset(string who) => $"/api/organizations/{organization}/members/acct-{who}/password-reset";

        // Refused: a member, another organization's admin, a center admin of another region, a center admin for a plain
        // member, anyone for an account that is not this organization's, and oneself.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsync(Reset(member), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await memberClient.PostAsync(Reset(account), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.SignedInAsync("demo-enterprise")).PostAsync(Reset(member), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.SignedInAsync("demo-center-jing-jin-ji")).PostAsync(Reset(account), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await api.SignedInAsync("demo-center")).PostAsync(Reset(member), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync(Reset("demo-university"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync(Reset(account), null)).StatusCode);

        // The admin resets the member: the member's tokens stop working, the temporary password signs in once changed.
        var reset = await admin.PostAsync(Reset(member), null);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var temporary = (await reset.BodyAsync()).GetProperty("temporaryPassword").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await memberClient.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { account = member, password = "member-pass-2026" })).StatusCode);
        var members = await (await admin.GetAsync($"/api/organizations/{organization}/members")).BodyAsync();
        Assert.Contains(members.GetProperty("items").EnumerateArray(), m => m.GetProperty("account").GetString() == member && m.GetProperty("mustChangePassword").GetBoolean());
        var temp = await SignedInAsync(member, temporary);
        Assert.Equal("password-change-required", await CodeAsync(await temp.GetAsync($"/api/organizations/{organization}/members")));

        // The center of 浙江 resets the organization's admin; the national level anyone's.
        Assert.Equal(HttpStatusCode.OK, (await (await api.SignedInAsync("demo-center")).PostAsync(Reset(account), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await api.SignedInAsync("demo-national")).PostAsync(Reset(member), null)).StatusCode);
    }

    [Fact]
    public async Task The_profile_name_changes_and_the_answer_carries_a_token_with_the_new_name()
    {
        var (_, account) = await AppliedAsync("广东");
        var client = await SignedInAsync(account);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync("/api/auth/me", new { displayName = " " })).StatusCode);
        var changed = await client.PutAsJsonAsync("/api/auth/me", new { displayName = "张工（技术转移）" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var token = (await changed.BodyAsync()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal("张工（技术转移）", (await (await client.GetAsync("/api/auth/me")).BodyAsync()).GetProperty("displayName").GetString());
        var center = (await (await client.GetAsync($"/api/organizations/{(await (await client.GetAsync("/api/auth/me")).BodyAsync()).GetProperty("organizationId").GetString()}")).BodyAsync())
            .GetProperty("reviewingCenter").GetProperty("name").GetString();
        Assert.Equal("粤港澳大湾区区域服务中心", center);
    }
}

/// <summary>A host of its own that takes 3 applications an hour from one source.</summary>
public sealed class ApplicationLimitHost : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public ApiFixture.HostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("applylimit");
        Host = new ApiFixture.HostFactory(Database.ConnectionString, demoListings: false,
            new Dictionary<string, string> { ["TechTransfer:RateLimits:ApplicationsPerHour"] = "3" });
        Host.StartServer();
        await Host.WaitUntilSeededAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class ApplicationLimitTests(ApplicationLimitHost host) : IClassFixture<ApplicationLimitHost>
{
    [Fact]
    public async Task One_source_may_apply_only_so_often_an_hour_and_then_gets_429_with_retry_after()
    {
        var client = host.Host.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var account = "lim-" + Guid.NewGuid().ToString("N")[..10];
            var ok = await client.PostAsJsonAsync("/api/organizations/applications", new
            {
                name = $"限流测试公司{i}", kind = "Enterprise", province = "四川", email = "a@example.cn", account, displayName = "张三", password = "limit-pass-2026",
            });
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        var refused = await client.PostAsJsonAsync("/api/organizations/applications", new
        {
            name = "第四家", kind = "Enterprise", province = "四川", email = "a@example.cn", account = "lim-fourth", displayName = "张三", password = "limit-pass-2026",
        });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("rate-limited", (await refused.BodyAsync()).GetProperty("code").GetString());
        // Signing in is not held back by it.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/login", new { account = "demo-university", password = Demo.DemoSeeder.Password })).StatusCode);
    }
}
