using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Matching;

[Collection(ApiCollection.Name)]
public sealed class SearchApiTests(ApiFixture api)
{
    // The 1 s target is measured by the benchmarks; a test on a loaded CI machine only bounds it loosely.
    static readonly TimeSpan Visibility = TimeSpan.FromSeconds(5);

    /// <summary>Polls search until <paramref name="done"/> holds; returns how long it took.</summary>
    async Task<TimeSpan> WithinAsync(string query, Func<JsonElement, bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var result = await (await api.Anonymous().GetAsync($"/api/search?q={Uri.EscapeDataString(query)}")).BodyAsync();
            if (done(result)) return clock.Elapsed;
            Assert.True(clock.Elapsed < limit, $"not within {limit}: {result}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_published_achievement_becomes_searchable_and_leaves_search_when_withdrawn_without_any_rebuild()
    {
        var word = Samples.UniqueWord();
        var university = await api.SignedInAsync("demo-university");
        var id = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 锂电池极片检测"));

        await WithinAsync(word, r => r.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetString() == id), Visibility);
        var found = await (await api.Anonymous().GetAsync($"/api/search?q={word}")).BodyAsync();
        Assert.Contains("<em>", found.GetProperty("items")[0].GetProperty("titleHighlighted").GetString());
        Assert.Equal(1, found.GetProperty("facets").GetProperty("techField").GetProperty("NewEnergy").GetInt32());

        await university.PostAsync($"/api/achievements/{id}/withdraw", null);
        await WithinAsync(word, r => r.GetProperty("total").GetInt32() == 0, Visibility);
    }

    [Fact]
    public async Task Matches_are_found_both_ways_stored_and_explained()
    {
        var word = Samples.UniqueWord();
        var university = await api.SignedInAsync("demo-university");
        var enterprise = await api.SignedInAsync("demo-enterprise");
        var achievement = await university.CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} 锂电池极片缺陷在线检测方法").With("keywords", new System.Text.Json.Nodes.JsonArray(word, "极片", "缺陷检测")));
        var demand = await enterprise.CreatePublishedAsync("/api/demands",
            Samples.Demand($"寻求{word}极片缺陷检测技术").With("keywords", new System.Text.Json.Nodes.JsonArray(word, "极片")));

        var forDemand = await (await enterprise.GetAsync($"/api/demands/{demand}/matches")).BodyAsync();
        var match = forDemand.EnumerateArray().First(m => m.GetProperty("achievementId").GetString() == achievement);
        Assert.InRange(match.GetProperty("score").GetInt32(), 0, 100);
        Assert.StartsWith("mat-", match.GetProperty("id").GetString());
        var explanation = match.GetProperty("explanation");
        Assert.Contains(word, explanation.GetProperty("matchedTerms").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(explanation.GetProperty("criteria").EnumerateArray(), c => c.GetProperty("name").GetString() == "trlMeetsMinimum" && c.GetProperty("held").GetBoolean());

        // the other direction sees the same stored pair
        var forAchievement = await (await university.GetAsync($"/api/achievements/{achievement}/matches")).BodyAsync();
        Assert.Contains(forAchievement.EnumerateArray(), m => m.GetProperty("demandId").GetString() == demand);
        Assert.DoesNotContain("phone", forAchievement.GetRawText());
    }

    [Fact]
    public async Task Matches_of_a_draft_are_not_shown_to_others()
    {
        var university = await api.SignedInAsync("demo-university");
        var id = (await (await university.PostAsJsonAsync("/api/achievements", Samples.Achievement())).BodyAsync()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync($"/api/achievements/{id}/matches")).StatusCode);
    }

    [Theory]
    [InlineData("AND (")]
    [InlineData("*:*")]
    [InlineData("title:\"")]
    [InlineData("%00%01%1F")]
    [InlineData("%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("1%27%20OR%20%271%27%3D%271")]
    public async Task Hostile_queries_get_sensible_answers_never_500_and_never_the_whole_index(string q)
    {
        var response = await api.Anonymous().GetAsync($"/api/search?q={q}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var all = await (await api.Anonymous().GetAsync("/api/search")).BodyAsync();
        var hostile = await response.BodyAsync();
        Assert.True(hostile.GetProperty("total").GetInt32() < Math.Max(1, all.GetProperty("total").GetInt32()));
    }

    [Fact]
    public async Task A_ten_thousand_character_query_is_refused_cleanly()
    {
        // Kestrel refuses the request line itself (414); a shorter overlong text reaches validation (400).
        var huge = await api.Anonymous().GetAsync("/api/search?q=" + new string('a', 10_000));
        Assert.True(huge.StatusCode is HttpStatusCode.RequestUriTooLong or HttpStatusCode.BadRequest, huge.StatusCode.ToString());
        var tooLong = await api.Anonymous().GetAsync("/api/search?q=" + new string('b', 600));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("max-length", (await tooLong.BodyAsync()).GetProperty("errors")[0].GetProperty("rule").GetString());
    }

    [Theory]
    [InlineData("?kind=patent", 0)]
    [InlineData("?field=Agriculture", 0)]
    [InlineData("?trlMin=12", 0)]
    [InlineData("?region=atlantis", 0)]
    [InlineData("?size=5000", 0)]
    public async Task Bad_search_parameters_are_400_with_a_problem(string query, int repeat)
    {
        var url = "/api/search" + query + new string('长', repeat);
        var response = await api.Anonymous().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation", (await response.BodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Reindex_rebuilds_the_replica_from_the_database_for_national_admins_only()
    {
        var word = Samples.UniqueWord();
        var university = await api.SignedInAsync("demo-university");
        var id = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 重建索引后仍可检索"));
        Assert.Equal(HttpStatusCode.Forbidden, (await university.PostAsync("/api/admin/reindex", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsync("/api/admin/reindex", null)).StatusCode);

        var national = await api.SignedInAsync("demo-national");
        var started = await national.PostAsync("/api/admin/reindex", null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        JsonElement status;
        var clock = Stopwatch.StartNew();
        do
        {
            await Task.Delay(50);
            status = await (await national.GetAsync("/api/admin/reindex")).BodyAsync();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), status.ToString());
        } while (status.GetProperty("running").GetBoolean());

        Assert.Equal(JsonValueKind.Null, status.GetProperty("error").ValueKind);
        Assert.Equal(status.GetProperty("total").GetInt32(), status.GetProperty("indexed").GetInt32());
        await WithinAsync(word, r => r.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetString() == id), Visibility);
    }
}
