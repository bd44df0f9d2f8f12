using System.Net;
using System.Net.Http.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.RegionalCenters;

[Collection(ApiCollection.Name)]
public sealed class RegionApiTests(ApiFixture api)
{
    [Fact]
    public async Task Regions_list_every_center_with_a_live_count_that_follows_publishing()
    {
        var regions = await (await api.Anonymous().GetAsync("/api/regions")).BodyAsync();
        Assert.Equal(9, regions.GetArrayLength());

        var before = await (await api.Anonymous().GetAsync("/api/regions/greater-bay")).BodyAsync();
        Assert.True(before.GetProperty("brokerCount").GetInt32() >= 1);

        var enterprise = await api.SignedInAsync("demo-enterprise");
        var id = (await (await enterprise.PostAsJsonAsync("/api/demands", Samples.Demand())).BodyAsync()).GetProperty("id").GetString();
        await enterprise.PostAsync($"/api/demands/{id}/publish", null);
        var after = await (await api.Anonymous().GetAsync("/api/regions/greater-bay")).BodyAsync();
        Assert.Equal(before.GetProperty("publishedDemands").GetInt32() + 1, after.GetProperty("publishedDemands").GetInt32());

        await enterprise.PostAsync($"/api/demands/{id}/close", null);
        var closed = await (await api.Anonymous().GetAsync("/api/regions/greater-bay")).BodyAsync();
        Assert.Equal(before.GetProperty("publishedDemands").GetInt32(), closed.GetProperty("publishedDemands").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync("/api/regions/atlantis")).StatusCode);
    }

    [Fact]
    public async Task Anonymous_callers_see_no_account_ids_and_only_a_centers_own_staff_and_the_national_level_see_its_brokers()
    {
        // Account ids are what a sign-in takes: listing them invites guessing and lockout (issue 17, item 7).
        foreach (var path in new[] { "/api/regions", "/api/regions/greater-bay" })
        {
            var text = await (await api.Anonymous().GetAsync(path)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("acct-", text);
            Assert.DoesNotContain("demo-broker", text);
            Assert.DoesNotContain("\"brokers\"", text);
        }
        var stranger = await (await (await api.SignedInAsync("demo-broker")).GetAsync("/api/regions/greater-bay")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("acct-", stranger); // a broker of another center
        foreach (var insider in new[] { "demo-broker-greater-bay", "demo-national" })
        {
            var view = await (await (await api.SignedInAsync(insider)).GetAsync("/api/regions/greater-bay")).BodyAsync();
            Assert.Contains(view.GetProperty("brokers").EnumerateArray(), b => b.GetString() == "acct-demo-broker-greater-bay");
        }
    }

    [Fact]
    public async Task Health_reports_the_database_and_one_active_silo_and_the_openapi_document_is_served()
    {
        var health = await (await api.Host.Operator().GetAsync("/health")).BodyAsync();
        Assert.True(health.GetProperty("database").GetBoolean());
        Assert.Equal(1, health.GetProperty("activeSilos").GetInt32());
        Assert.True(health.GetProperty("searchReady").GetBoolean());
        Assert.True(health.GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.True(health.GetProperty("connections").GetInt32() >= 0);
        var openApi = await api.Anonymous().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Contains("/api/achievements", await openApi.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_organization_shows_its_members_only_to_insiders()
    {
        var outsider = await (await api.Anonymous().GetAsync("/api/organizations/org-demo-university")).BodyAsync();
        Assert.Equal(0, outsider.GetProperty("members").GetArrayLength());
        var insider = await (await (await api.SignedInAsync("demo-university")).GetAsync("/api/organizations/org-demo-university")).BodyAsync();
        Assert.Contains(insider.GetProperty("members").EnumerateArray(), m => m.GetString() == "acct-demo-university");
        Assert.Equal("University", insider.GetProperty("kind").GetString());
    }
}
