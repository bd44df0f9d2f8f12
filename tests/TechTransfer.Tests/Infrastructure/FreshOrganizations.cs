using System.Net;
using System.Net.Http.Json;
using TechTransfer.Accounts;
using TechTransfer.Demo;

namespace TechTransfer.Tests.Infrastructure;

/// <summary>An organization of its own and one member, registered through the API by the national level: a test's
/// own party, whose lists and inbox no other test writes to. The member's password is the demo one.</summary>
public sealed record FreshOrganization(string Id, string Name, string Account, string AccountId)
{
    public static async Task<FreshOrganization> CreateAsync(Func<string, Task<HttpClient>> signIn, string kind = "Enterprise",
        string province = "浙江", string? name = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var id = $"org-t-{suffix}";
        name ??= $"测试{(kind == "Enterprise" ? "企业" : "大学")}{suffix[..4]}";
        var national = await signIn("demo-national");
        var created = await national.PostAsJsonAsync("/api/organizations", new { id, name, kind, province });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var account = $"t-{suffix}";
        var member = await national.PostAsJsonAsync($"/api/organizations/{id}/accounts",
            new { account, displayName = $"测试成员{suffix[..4]}", role = "OrganizationAdmin", password = DemoSeeder.Password });
        Assert.True(member.StatusCode == HttpStatusCode.Created, await member.Content.ReadAsStringAsync());
        return new FreshOrganization(id, name, account, AccountKeys.Of(account));
    }
}
