using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Security;

/// <summary>
/// Bodies no person means, through the real host: duplicate keys, numbers as strings, amounts finer than a fen,
/// text that shows nothing or reads backwards, and imports too large for one request. Each is refused, none is written.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class InputEdgeTests(ApiFixture api)
{
    async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json) =>
        await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.BodyAsync();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detailZh").GetString()));
        return problem;
    }

    static string Rule(JsonElement problem, string field) =>
        problem.GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("field").GetString() == field).GetProperty("rule").GetString()!;

    [Fact]
    public async Task Duplicate_keys_and_numbers_sent_as_strings_are_400_and_write_nothing()
    {
        var client = await api.SignedInAsync("demo-university");
        var before = await api.Database.CountAsync("SELECT count(*) FROM tt_listing");
        var body = Samples.Achievement().ToJsonString();

        // {"title": "…", …, "title": "…"}: which one a reader keeps depends on the reader.
        var duplicate = await ProblemAsync(await PostAsync(client, "/api/achievements", body[..^1] + ",\"title\":\"另一个标题\"}"));
        Assert.Equal("validation", duplicate.GetProperty("code").GetString());
        var asString = await ProblemAsync(await PostAsync(client, "/api/achievements", Samples.Achievement().With("trl", "6").ToJsonString()));
        Assert.Equal("invalid-format", Rule(asString, "trl"));
        var priceAsString = await ProblemAsync(await PostAsync(client, "/api/achievements", Samples.Achievement().With("askingPrice", "300").ToJsonString()));
        Assert.Equal("invalid-format", Rule(priceAsString, "askingPrice"));

        Assert.Equal(before, await api.Database.CountAsync("SELECT count(*) FROM tt_listing"));
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, "/api/achievements", body)).StatusCode); // the same body, once, is fine
    }

    [Theory]
    [InlineData("askingPrice", "1e-28")]
    [InlineData("askingPrice", "0.0000001")]
    [InlineData("askingPrice", "300.1234567")]
    public async Task An_amount_finer_than_one_fen_is_a_validation_problem(string field, string amount)
    {
        var client = await api.SignedInAsync("demo-university");
        var body = Samples.Achievement().With(field, JsonNode.Parse(amount)).ToJsonString();
        var problem = await ProblemAsync(await PostAsync(client, "/api/achievements", body));
        Assert.Equal("invalid-format", Rule(problem, field));

        var demand = Samples.Demand().With("budgetMin", JsonNode.Parse(amount)).ToJsonString();
        var enterprise = await api.SignedInAsync("demo-enterprise");
        Assert.Equal("invalid-format", Rule(await ProblemAsync(await PostAsync(enterprise, "/api/demands", demand)), "budgetMin"));

        // One fen (0.000001 万元) is an amount.
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, "/api/achievements", Samples.Achievement().With(field, 0.000001m).ToJsonString())).StatusCode);
    }

    [Theory]
    [InlineData("\u200B\u200C\u200D\u2060\uFEFF", "invisible")]
    [InlineData(" \u200B \u3000 \u00AD ", "invisible")]
    [InlineData("检测方法\u202Efdp.exe", "bidi-control")]
    [InlineData("\u2067锂电池\u2069", "bidi-control")]
    [InlineData("\u202A锂电池\u202C", "bidi-control")]
    public async Task A_title_that_shows_nothing_or_reorders_itself_is_refused(string title, string rule)
    {
        var client = await api.SignedInAsync("demo-university");
        var problem = await ProblemAsync(await PostAsync(client, "/api/achievements", Samples.Achievement(title).ToJsonString()));
        Assert.Equal(rule, Rule(problem, "title"));

        var contact = new JsonObject { ["name"] = "王\u202E老师", ["phone"] = "025-83790000" };
        var named = await ProblemAsync(await PostAsync(client, "/api/achievements", Samples.Achievement().With("contact", contact).ToJsonString()));
        Assert.Equal("bidi-control", Rule(named, "contact.name"));

        var national = await api.SignedInAsync("demo-national");
        var organization = await ProblemAsync(await national.PostAsJsonAsync("/api/organizations",
            new { name = title, kind = "University", province = "江苏" }));
        Assert.Equal(rule, Rule(organization, "name"));
    }

    [Fact]
    public async Task A_title_with_a_zero_width_character_among_visible_ones_is_kept_as_written()
    {
        var client = await api.SignedInAsync("demo-university");
        var title = $"{Samples.UniqueWord()} 锂电池\u200B极片检测";
        var created = await PostAsync(client, "/api/achievements", Samples.Achievement(title).ToJsonString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.BodyAsync()).GetProperty("id").GetString();
        Assert.Equal(title, (await (await client.GetAsync($"/api/achievements/{id}")).BodyAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Route_ids_that_cannot_be_ids_are_404_problems_and_activate_no_grain()
    {
        var client = await api.SignedInAsync("demo-enterprise");
        var run = Guid.NewGuid().ToString("N")[..8];
        string[] paths =
        [
            $"/api/auctions/auc-junk-{run}", $"/api/fixed-price-listings/fpl-junk-{run}", $"/api/tenders/tnd-junk-{run}",
            $"/api/deals/mat-junk-{run}", $"/api/deals/auc-junk2-{run}", "/api/auctions/auc-%01x", "/api/tenders/tnd-%E2%80%AEx",
        ];
        foreach (var path in paths)
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("not-found", (await response.BodyAsync()).GetProperty("code").GetString());
        }

        var activations = await api.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        Assert.DoesNotContain(activations, a => a.GrainId.Key.ToString()!.Contains(run, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_import_of_more_than_a_thousand_lines_is_413_and_imports_nothing()
    {
        var client = await api.SignedInAsync("demo-university");
        var run = Guid.NewGuid().ToString("N")[..6];
        var before = await api.Database.CountAsync("SELECT count(*) FROM tt_listing");
        var lines = Enumerable.Range(1, 1_001).Select(i => Samples.Achievement($"超量导入 {run} 第{i}项").With("externalId", $"big-{run}-{i}").ToJsonString());

        var response = await client.PostAsync("/api/imports", new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"));

        var problem = await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("import-too-large", problem.GetProperty("code").GetString());
        Assert.Contains("1,000", problem.GetProperty("detail").GetString());
        Assert.Contains("1000", problem.GetProperty("detailZh").GetString());
        Assert.Equal(before, await api.Database.CountAsync("SELECT count(*) FROM tt_listing"));
    }
}
