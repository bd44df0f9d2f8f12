using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Organizations;

[Collection(ApiCollection.Name)]
public sealed class OrganizationApiTests(ApiFixture api)
{
    static string FreshId(string what) => $"org-test-{what}-{Guid.NewGuid():N}"[..40];

    static object Enterprise(string id, string name = "测试精密制造有限公司") => new { id, name, kind = "Enterprise", province = "浙江" };

    static object Colleague(string account, string role = "Member", string password = "colleague-pass-2026") =>
        new { account, displayName = "测试同事", role, password };

    static string FreshAccount() => "t-" + Guid.NewGuid().ToString("N")[..12];

    async Task<string> RegisteredEnterpriseAsync()
    {
        var id = FreshId("ent");
        var national = await api.SignedInAsync("demo-national");
        Assert.Equal(HttpStatusCode.Created, (await national.PostAsJsonAsync("/api/organizations", Enterprise(id))).StatusCode);
        return id;
    }

    async Task<HttpClient> SignedInAsync(string account, string password)
    {
        var client = api.Anonymous();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { account, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", (await login.BodyAsync()).GetProperty("token").GetString());
        return client;
    }

    [Fact]
    public async Task The_national_level_registers_an_organization_once_and_a_conflicting_registration_is_409()
    {
        var national = await api.SignedInAsync("demo-national");
        var id = FreshId("ent");

        var created = await national.PostAsJsonAsync("/api/organizations", Enterprise(id));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/organizations/{id}", created.Headers.Location?.OriginalString);
        var view = await (await api.Anonymous().GetAsync($"/api/organizations/{id}")).BodyAsync();
        Assert.Equal("Enterprise", view.GetProperty("kind").GetString());
        Assert.Equal("浙江", view.GetProperty("province").GetString());

        var again = await national.PostAsJsonAsync("/api/organizations", Enterprise(id));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var conflicting = await national.PostAsJsonAsync("/api/organizations", Enterprise(id, "另一家公司"));
        Assert.Equal(HttpStatusCode.Conflict, conflicting.StatusCode);
        Assert.Equal("already-exists", (await conflicting.BodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Without_an_id_the_organization_gets_a_fresh_one_and_a_service_center_its_region()
    {
        var national = await api.SignedInAsync("demo-national");
        var created = await national.PostAsJsonAsync("/api/organizations", new { name = "测试服务站", kind = "ServiceCenter", province = "四川" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.BodyAsync();
        Assert.StartsWith("org-", view.GetProperty("id").GetString());
        Assert.Equal("southwest", view.GetProperty("regionCode").GetString());
    }

    [Fact]
    public async Task Only_the_national_level_registers_organizations()
    {
        var body = Enterprise(FreshId("ent"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsJsonAsync("/api/organizations", body)).StatusCode);
        foreach (var account in new[] { "demo-enterprise", "demo-university", "demo-broker" })
        {
            var refused = await (await api.SignedInAsync(account)).PostAsJsonAsync("/api/organizations", body);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("forbidden", (await refused.BodyAsync()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task A_registration_that_fails_validation_names_every_field_in_chinese_and_english()
    {
        var national = await api.SignedInAsync("demo-national");
        var response = await national.PostAsJsonAsync("/api/organizations", new { id = "Org Bad!", name = "", kind = "Club", province = "火星" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.BodyAsync();
        Assert.Equal("validation", problem.GetProperty("code").GetString());
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["id", "kind", "name", "province"], errors.Select(e => e.GetProperty("field").GetString()).Order());
        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("zh").GetString())));
        Assert.Contains(errors, e => e.GetProperty("zh").GetString() == "名称不能为空" && e.GetProperty("en").GetString() == "name is required");

        var national2 = await national.PostAsJsonAsync("/api/organizations", new { name = "第二个火炬中心", kind = "National", province = "北京" });
        Assert.Equal(HttpStatusCode.BadRequest, national2.StatusCode);
        Assert.Equal("not-allowed", (await national2.BodyAsync()).GetProperty("errors")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task An_account_created_by_the_national_level_signs_in_as_a_member_of_its_organization()
    {
        var id = await RegisteredEnterpriseAsync();
        var national = await api.SignedInAsync("demo-national");
        var account = FreshAccount();

        var created = await national.PostAsJsonAsync($"/api/organizations/{id}/accounts", Colleague(account, "OrganizationAdmin"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"acct-{account}", (await created.BodyAsync()).GetProperty("accountId").GetString());

        var colleague = await SignedInAsync(account, "colleague-pass-2026");
        var me = await (await colleague.GetAsync("/api/auth/me")).BodyAsync();
        Assert.Equal(id, me.GetProperty("organizationId").GetString());
        Assert.Equal("Enterprise", me.GetProperty("organizationKind").GetString());
        Assert.Equal("OrganizationAdmin", me.GetProperty("role").GetString());
        var organization = await (await colleague.GetAsync($"/api/organizations/{id}")).BodyAsync();
        Assert.Contains(organization.GetProperty("members").EnumerateArray(), m => m.GetString() == $"acct-{account}");

        // The new admin adds a colleague of their own, who may post the organization's demands.
        var member = FreshAccount();
        Assert.Equal(HttpStatusCode.Created, (await colleague.PostAsJsonAsync($"/api/organizations/{id}/accounts", Colleague(member))).StatusCode);
        var memberClient = await SignedInAsync(member, "colleague-pass-2026");
        Assert.Equal(HttpStatusCode.Created, (await memberClient.PostAsJsonAsync("/api/demands", Samples.Demand())).StatusCode);
    }

    [Fact]
    public async Task Strangers_members_and_admins_of_other_organizations_may_not_add_accounts()
    {
        var id = await RegisteredEnterpriseAsync();
        var national = await api.SignedInAsync("demo-national");
        var member = FreshAccount();
        Assert.Equal(HttpStatusCode.Created, (await national.PostAsJsonAsync($"/api/organizations/{id}/accounts", Colleague(member))).StatusCode);

        var path = $"/api/organizations/{id}/accounts";
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsJsonAsync(path, Colleague(FreshAccount()))).StatusCode);
        var plainMember = await SignedInAsync(member, "colleague-pass-2026");
        Assert.Equal(HttpStatusCode.Forbidden, (await plainMember.PostAsJsonAsync(path, Colleague(FreshAccount()))).StatusCode);
        var otherAdmin = await api.SignedInAsync("demo-enterprise"); // admin of another enterprise
        Assert.Equal(HttpStatusCode.Forbidden, (await otherAdmin.PostAsJsonAsync(path, Colleague(FreshAccount()))).StatusCode);
        // Nor into their own organization as anything above an admin of it.
        var own = await otherAdmin.PostAsJsonAsync("/api/organizations/org-demo-enterprise/accounts", Colleague(FreshAccount(), "NationalAdmin"));
        Assert.Equal(HttpStatusCode.BadRequest, own.StatusCode);
        Assert.Equal("not-allowed", (await own.BodyAsync()).GetProperty("errors")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task An_account_that_exists_is_409_and_a_bad_body_is_400_per_field()
    {
        var id = await RegisteredEnterpriseAsync();
        var national = await api.SignedInAsync("demo-national");
        var path = $"/api/organizations/{id}/accounts";

        var taken = await national.PostAsJsonAsync(path, Colleague("demo-university"));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("already-exists", (await taken.BodyAsync()).GetProperty("code").GetString());

        var bad = await national.PostAsJsonAsync(path, new { account = "a b", displayName = "", role = "Broker", password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.BodyAsync()).GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["account", "displayName", "password", "role"], errors.Select(e => e.GetProperty("field").GetString()).Order());
        Assert.Contains(errors, e => e.GetProperty("zh").GetString() == "密码长度须为 10–128 个字符");

        Assert.Equal(HttpStatusCode.NotFound,
            (await national.PostAsJsonAsync("/api/organizations/org-test-nowhere/accounts", Colleague(FreshAccount()))).StatusCode);
    }

    [Fact]
    public async Task The_national_level_appoints_brokers_to_a_center_and_they_join_its_brokers()
    {
        var national = await api.SignedInAsync("demo-national");
        var broker = FreshAccount();
        var created = await national.PostAsJsonAsync("/api/organizations/org-center-northwest/accounts", Colleague(broker, "Broker"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var region = await (await national.GetAsync("/api/regions/northwest")).BodyAsync();
        Assert.Contains(region.GetProperty("brokers").EnumerateArray(), b => b.GetString() == $"acct-{broker}");
        var me = await (await (await SignedInAsync(broker, "colleague-pass-2026")).GetAsync("/api/auth/me")).BodyAsync();
        Assert.Equal("northwest", me.GetProperty("regionCode").GetString());
    }
}
