using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Achievements;

[Collection(ApiCollection.Name)]
public sealed class AchievementApiTests(ApiFixture api)
{
    async Task<(HttpClient Client, string Id)> CreateAsync(JsonObject? body = null)
    {
        var client = await api.SignedInAsync("demo-university");
        var response = await client.PostAsJsonAsync("/api/achievements", body ?? Samples.Achievement());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.BodyAsync()).GetProperty("id").GetString()!;
        Assert.Equal($"/api/achievements/{id}", response.Headers.Location!.ToString());
        return (client, id);
    }

    static HttpRequestMessage Put(string id, JsonObject body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/achievements/{id}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    [Fact]
    public async Task A_created_achievement_reads_back_as_a_draft_with_its_contact_for_its_owner()
    {
        var (client, id) = await CreateAsync();
        var response = await client.GetAsync($"/api/achievements/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag!.Tag);
        var body = await response.BodyAsync();
        Assert.Equal("Draft", body.GetProperty("status").GetString());
        Assert.Equal("一种锂电池极片缺陷在线检测方法", body.GetProperty("title").GetString());
        Assert.Equal("NewEnergy", body.GetProperty("techField").GetString());
        Assert.Equal("yangtze-delta", body.GetProperty("regionCode").GetString());
        Assert.Equal("org-demo-university", body.GetProperty("ownerOrganizationId").GetString());
        Assert.Equal("王老师", body.GetProperty("contact").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_draft_is_invisible_to_others_and_a_published_one_is_public_without_its_contact()
    {
        var (owner, id) = await CreateAsync();
        var stranger = await api.SignedInAsync("demo-enterprise");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/achievements/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync($"/api/achievements/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsync($"/api/achievements/{id}/publish", null)).StatusCode);
        foreach (var reader in new[] { stranger, api.Anonymous() })
        {
            var body = await (await reader.GetAsync($"/api/achievements/{id}")).BodyAsync();
            Assert.Equal("Published", body.GetProperty("status").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("contact").ValueKind);
        }
    }

    [Fact]
    public async Task An_update_needs_the_current_version_in_If_Match()
    {
        var (client, id) = await CreateAsync();
        var changed = Samples.Achievement("一种锂电池极片缺陷在线检测方法（第二版）");

        var missing = await client.SendAsync(Put(id, changed, ifMatch: null));
        Assert.Equal((HttpStatusCode)428, missing.StatusCode);

        var ok = await client.SendAsync(Put(id, changed, "\"1\""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("\"2\"", ok.Headers.ETag!.Tag);

        var stale = await client.SendAsync(Put(id, Samples.Achievement("过期的修改"), "\"1\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var problem = await stale.BodyAsync();
        Assert.Equal("version-mismatch", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("titleZh").GetString()));

        var current = await (await client.GetAsync($"/api/achievements/{id}")).BodyAsync();
        Assert.Equal("一种锂电池极片缺陷在线检测方法（第二版）", current.GetProperty("title").GetString());
        Assert.Equal(2, current.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Another_organization_can_neither_edit_nor_publish_nor_withdraw_and_changes_nothing()
    {
        var (owner, id) = await CreateAsync();
        var other = await api.SignedInAsync("demo-enterprise");
        var edit = await other.SendAsync(Put(id, Samples.Achievement("篡改"), "\"1\""));
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal("forbidden", (await edit.BodyAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/achievements/{id}/publish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/achievements/{id}/withdraw", null)).StatusCode);

        var body = await (await owner.GetAsync($"/api/achievements/{id}")).BodyAsync();
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal("Draft", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_national_admin_may_edit_any_listing()
    {
        var (_, id) = await CreateAsync();
        var national = await api.SignedInAsync("demo-national");
        Assert.Equal(HttpStatusCode.OK, (await national.SendAsync(Put(id, Samples.Achievement("国家层面更正"), "\"1\""))).StatusCode);
    }

    [Fact]
    public async Task Writes_without_sign_in_are_401_and_write_nothing()
    {
        var before = await api.Database.CountAsync("SELECT count(*) FROM tt_listing");
        var anonymous = api.Anonymous();
        var create = await anonymous.PostAsJsonAsync("/api/achievements", Samples.Achievement());
        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.Equal("application/problem+json", create.Content.Headers.ContentType!.MediaType);
        Assert.Equal("unauthorized", (await create.BodyAsync()).GetProperty("code").GetString());
        var (_, id) = await CreateAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/achievements/{id}/publish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Put(id, Samples.Achievement(), "\"1\""))).StatusCode);
        Assert.Equal(before + 1, await api.Database.CountAsync("SELECT count(*) FROM tt_listing"));
    }

    [Fact]
    public async Task A_broker_of_a_service_center_does_not_post_achievements()
    {
        var broker = await api.SignedInAsync("demo-broker");
        Assert.Equal(HttpStatusCode.Forbidden, (await broker.PostAsJsonAsync("/api/achievements", Samples.Achievement())).StatusCode);
    }

    public static TheoryData<string, string, string> InvalidBodies() => new()
    {
        { """{"title": null}""", "title", "required" },
        { """{"title": "   "}""", "title", "required" },
        { $$"""{"title": "{{new string('长', 201)}}"}""", "title", "max-length" },
        { """{"title": "a\u0007b"}""", "title", "control-characters" },
        { """{"summary": null}""", "summary", "required" },
        { $$"""{"summary": "{{new string('长', 5001)}}"}""", "summary", "max-length" },
        { """{"techField": "Agriculture"}""", "techField", "unknown-value" },
        { """{"techField": "newenergy"}""", "techField", "unknown-value" },
        { """{"techField": "3"}""", "techField", "unknown-value" },
        { """{"trl": 0}""", "trl", "range" },
        { """{"trl": 10}""", "trl", "range" },
        { """{"trl": null}""", "trl", "required" },
        { """{"trl": "six"}""", "trl", "invalid-format" },
        { """{"transferModes": []}""", "transferModes", "required" },
        { """{"transferModes": ["Gift"]}""", "transferModes[0]", "unknown-value" },
        { """{"askingPrice": -1}""", "askingPrice", "not-negative" },
        { """{"province": "加州"}""", "province", "unknown-value" },
        { """{"province": "江苏省"}""", "province", "unknown-value" },
        { """{"ipRights": [{"kind": "Trademark", "number": "1"}]}""", "ipRights[0].kind", "unknown-value" },
        { """{"ipRights": [{"kind": "InventionPatent", "number": ""}]}""", "ipRights[0].number", "required" },
        { """{"contact": null}""", "contact", "required" },
        { """{"contact": {"name": "王", "email": "not-an-email"}}""", "contact.email", "invalid-format" },
        { """{"contact": {"name": "王"}}""", "contact.phone", "phone-or-email" },
        { """{"keywords": ["", "x"]}""", "keywords[0]", "required" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Every_validation_rule_answers_400_with_a_bilingual_problem_and_writes_nothing(string patch, string field, string rule)
    {
        var client = await api.SignedInAsync("demo-university");
        var body = Samples.Achievement();
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject()) body[key] = value?.DeepClone();
        var before = await api.Database.CountAsync("SELECT count(*) FROM tt_listing");

        var response = await client.PostAsync("/api/achievements", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.BodyAsync();
        Assert.Equal("validation", problem.GetProperty("code").GetString());
        var error = problem.GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("field").GetString() == field);
        Assert.Equal(rule, error.GetProperty("rule").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("zh").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("en").GetString()));
        Assert.Equal(before, await api.Database.CountAsync("SELECT count(*) FROM tt_listing"));
    }

    [Fact]
    public async Task Malformed_json_and_oversized_bodies_get_problems_not_500s()
    {
        var client = await api.SignedInAsync("demo-university");
        var malformed = await client.PostAsync("/api/achievements", new StringContent("{\"title\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType!.MediaType);

        // Expect: 100-continue, as a careful client sends a large body: the server refuses it from the headers, so the
        // answer is read whatever the machine's speed (sent at once, the body raced the 413 and the pipe broke under load).
        var huge = Samples.Achievement().With("summary", new string('长', 600_000));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/achievements")
        {
            Content = new StringContent(huge.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        var tooLarge = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Theory]
    [InlineData("ach-00000000000000000000000000000000")]
    [InlineData("12345")]
    [InlineData("ach-XYZ")]
    public async Task Unknown_or_malformed_ids_are_404(string id)
    {
        var response = await api.Anonymous().GetAsync($"/api/achievements/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not-found", (await response.BodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Publish_and_withdraw_move_the_listing_in_and_out_of_the_public_list()
    {
        var (client, id) = await CreateAsync(Samples.Achievement("公开列表测试成果"));
        async Task<bool> PubliclyListedAsync()
        {
            var page = await (await api.Anonymous().GetAsync("/api/achievements?status=Published&owner=org-demo-university&size=100")).BodyAsync();
            return page.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetString() == id);
        }

        Assert.False(await PubliclyListedAsync());
        var published = await (await client.PostAsync($"/api/achievements/{id}/publish", null)).BodyAsync();
        Assert.Equal("Published", published.GetProperty("status").GetString());
        Assert.True(await PubliclyListedAsync());

        var withdrawn = await (await client.PostAsync($"/api/achievements/{id}/withdraw", null)).BodyAsync();
        Assert.Equal("Withdrawn", withdrawn.GetProperty("status").GetString());
        Assert.False(await PubliclyListedAsync());

        // the owner still sees it in "my listings"
        var mine = await (await client.GetAsync("/api/achievements?owner=org-demo-university&status=Withdrawn")).BodyAsync();
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_list_never_shows_another_organizations_drafts()
    {
        var (_, id) = await CreateAsync(Samples.Achievement("草稿不应外泄"));
        var enterprise = await api.SignedInAsync("demo-enterprise");
        var page = await (await enterprise.GetAsync("/api/achievements?owner=org-demo-university&status=Draft")).BodyAsync();
        Assert.Equal(0, page.GetProperty("total").GetInt64());
        Assert.DoesNotContain(page.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
    }

    [Theory]
    [InlineData("?page=0")]
    [InlineData("?size=1000")]
    [InlineData("?status=Gone")]
    public async Task Bad_list_parameters_are_400(string query) =>
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Anonymous().GetAsync("/api/achievements" + query)).StatusCode);
}
