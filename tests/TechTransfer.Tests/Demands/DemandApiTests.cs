using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Demands;

[Collection(ApiCollection.Name)]
public sealed class DemandApiTests(ApiFixture api)
{
    [Fact]
    public async Task An_enterprise_posts_publishes_edits_and_closes_a_demand()
    {
        var client = await api.SignedInAsync("demo-enterprise");
        var created = await client.PostAsJsonAsync("/api/demands", Samples.Demand());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.BodyAsync()).GetProperty("id").GetString()!;
        Assert.StartsWith("dem-", id);

        var published = await (await client.PostAsync($"/api/demands/{id}/publish", null)).BodyAsync();
        Assert.Equal("Published", published.GetProperty("status").GetString());
        Assert.Equal("greater-bay", published.GetProperty("regionCode").GetString());

        var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/demands/{id}") { Content = JsonContent.Create(Samples.Demand("寻求极片检测技术（预算上调）").With("budgetMax", 800)) };
        edit.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
        var edited = await client.SendAsync(edit);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(800m, (await edited.BodyAsync()).GetProperty("budgetMax").GetDecimal());

        var closed = await (await client.PostAsync($"/api/demands/{id}/close", null)).BodyAsync();
        Assert.Equal("Closed", closed.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync($"/api/demands/{id}")).StatusCode);
    }

    [Fact]
    public async Task Only_enterprises_post_demands()
    {
        var university = await api.SignedInAsync("demo-university");
        Assert.Equal(HttpStatusCode.Forbidden, (await university.PostAsJsonAsync("/api/demands", Samples.Demand())).StatusCode);
    }

    [Fact]
    public async Task Another_organization_cannot_close_a_demand()
    {
        var owner = await api.SignedInAsync("demo-enterprise");
        var id = (await (await owner.PostAsJsonAsync("/api/demands", Samples.Demand())).BodyAsync()).GetProperty("id").GetString();
        var university = await api.SignedInAsync("demo-university");
        Assert.Equal(HttpStatusCode.Forbidden, (await university.PostAsync($"/api/demands/{id}/close", null)).StatusCode);
    }

    public static TheoryData<string, JsonNode?, string, string> InvalidFields() => new()
    {
        { "budgetMin", 900, "budgetMin", "min-greater-than-max" },
        { "budgetMax", -5, "budgetMax", "not-negative" },
        { "deadline", "2020-01-01", "deadline", "in-past" },
        { "deadline", "31/12/2027", "deadline", "invalid-format" },
        { "deadline", null, "deadline", "required" },
        { "minTrl", 11, "minTrl", "range" },
        { "description", null, "description", "required" },
        { "province", "火星", "province", "unknown-value" },
        { "techField", "Space", "techField", "unknown-value" },
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task Every_demand_rule_answers_400_and_writes_nothing(string name, JsonNode? value, string field, string rule)
    {
        var client = await api.SignedInAsync("demo-enterprise");
        var before = await api.Database.CountAsync("SELECT count(*) FROM tt_listing WHERE kind = 'demand'");
        var response = await client.PostAsJsonAsync("/api/demands", Samples.Demand().With(name, value));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.BodyAsync()).GetProperty("errors").EnumerateArray();
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == field && e.GetProperty("rule").GetString() == rule);
        Assert.Equal(before, await api.Database.CountAsync("SELECT count(*) FROM tt_listing WHERE kind = 'demand'"));
    }
}
