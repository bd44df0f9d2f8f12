using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    async Task<JsonElement> SearchAsync(string query) => await (await api.Anonymous().GetAsync("/api/search?" + query)).BodyAsync();

    static List<string?> Ids(JsonElement result) => [.. result.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString())];

    /// <summary>Waits until a search for <paramref name="word"/> sees <paramref name="count"/> listings (both kinds).</summary>
    async Task IndexedAsync(string word, int count) =>
        await WithinAsync(word, r => r.GetProperty("total").GetInt32() == count, Visibility);

    [Fact]
    public async Task A_query_of_common_words_finds_nothing_and_says_why()
    {
        var result = await SearchAsync("q=" + Uri.EscapeDataString("的"));
        Assert.Equal(0, result.GetProperty("total").GetInt32());
        Assert.Empty(result.GetProperty("items").EnumerateArray());
        var hint = result.GetProperty("hint");
        Assert.Equal("「的」是常用词，请输入具体的技术词语", hint.GetProperty("zh").GetString());
        Assert.Contains("common word", hint.GetProperty("en").GetString());

        var several = await SearchAsync("q=" + Uri.EscapeDataString("的 技术 研究"));
        Assert.Equal(0, several.GetProperty("total").GetInt32());
        Assert.StartsWith("「的」「技术」「研究」是常用词", several.GetProperty("hint").GetProperty("zh").GetString());
        Assert.Equal(JsonValueKind.Null, (await SearchAsync("q=" + Uri.EscapeDataString("锂电池"))).GetProperty("hint").ValueKind);
    }

    [Fact]
    public async Task A_multi_word_search_ranks_the_listing_holding_every_word_first_and_leaves_out_one_sharing_a_single_generic_word()
    {
        var word = Samples.UniqueWord();
        var university = await api.SignedInAsync("demo-university");
        var all = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 人工智能图像识别系统")
            .With("summary", "基于人工智能的工业零件图像识别，识别准确率 99%。").With("keywords", new JsonArray(word, "人工智能", "图像识别")));
        var part = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 遥感图像识别方法")
            .With("summary", "一种遥感图像的目标识别方法。").With("keywords", new JsonArray(word, "遥感", "图像识别")));
        var generic = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 黄鳝人工繁殖技术")
            .With("summary", "黄鳝的人工繁殖与高密度养殖。").With("keywords", new JsonArray(word, "黄鳝", "人工繁殖")));
        await IndexedAsync(word, 3);

        var result = await SearchAsync("size=100&q=" + Uri.EscapeDataString("人工智能 图像识别"));
        var ids = Ids(result);
        Assert.Equal(all, ids[0]);
        Assert.Contains(part, ids);
        Assert.DoesNotContain(generic, ids);
        var best = result.GetProperty("items")[0];
        Assert.EndsWith("<em>人工智能图像识别</em>系统", best.GetProperty("titleHighlighted").GetString());
    }

    [Fact]
    public async Task Searching_for_lithium_ion_batteries_does_not_find_silver_ions_and_highlights_whole_words()
    {
        var word = Samples.UniqueWord();
        var university = await api.SignedInAsync("demo-university");
        var lithium = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 高安全锂离子电池隔膜")
            .With("summary", "陶瓷涂覆隔膜，提高锂离子电池的热稳定性。").With("keywords", new JsonArray(word, "隔膜")));
        var silver = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 活性银离子抗菌液")
            .With("summary", "银离子抗菌液可用于医疗器械与电池外壳的消毒。").With("keywords", new JsonArray(word, "抗菌")));
        var mentioned = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 离子液体电解质")
            .With("summary", "离子液体电解质可替代锂离子电池中的有机电解液。").With("keywords", new JsonArray(word, "电解质")));
        await IndexedAsync(word, 3);

        var result = await SearchAsync("size=100&q=" + Uri.EscapeDataString("锂离子电池"));
        var ids = Ids(result);
        Assert.Contains(lithium, ids);
        Assert.Contains(mentioned, ids);
        Assert.DoesNotContain(silver, ids);
        Assert.True(ids.IndexOf(lithium) < ids.IndexOf(mentioned), "the title holding the phrase ranks above a body that mentions it");
        var items = result.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        Assert.Contains("<em>锂离子电池</em>", items[lithium].GetProperty("titleHighlighted").GetString());
        // 离子 of 离子液体 is a fragment of the query's word 锂离子, not a word of the query: not marked.
        Assert.DoesNotContain("<em>", items[mentioned].GetProperty("titleHighlighted").GetString());
        Assert.Contains("<em>锂离子电池</em>", items[mentioned].GetProperty("snippet").GetString());
    }

    [Fact]
    public async Task Search_covers_both_kinds_by_default_and_each_hit_says_its_kind()
    {
        var word = Samples.UniqueWord();
        var achievement = await (await api.SignedInAsync("demo-university")).CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} 极片缺陷检测").With("keywords", new JsonArray(word, "极片")));
        var demand = await (await api.SignedInAsync("demo-enterprise")).CreatePublishedAsync("/api/demands",
            Samples.Demand($"寻求{word}极片检测技术").With("keywords", new JsonArray(word, "极片")));
        await IndexedAsync(word, 2);

        var both = await SearchAsync($"q={word}");
        Assert.Equal("all", both.GetProperty("kind").GetString());
        var kinds = both.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("kind").GetString());
        Assert.Equal("achievement", kinds[achievement]);
        Assert.Equal("demand", kinds[demand]);
        Assert.Equal(1, both.GetProperty("facets").GetProperty("kind").GetProperty("achievement").GetInt32());
        Assert.Equal(1, both.GetProperty("facets").GetProperty("kind").GetProperty("demand").GetInt32());
        Assert.Equal(2, (await SearchAsync($"q={word}&kind=all")).GetProperty("total").GetInt32());
        Assert.Equal([demand], Ids(await SearchAsync($"q={word}&kind=demand")));
        Assert.Equal([achievement], Ids(await SearchAsync($"q={word}&kind=achievement")));
    }

    [Fact]
    public async Task Hits_sort_by_newest_and_by_price_with_unpriced_listings_last()
    {
        var word = Samples.UniqueWord();
        var university = await api.SignedInAsync("demo-university");
        var enterprise = await api.SignedInAsync("demo-enterprise");
        var dear = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 极片检测").With("askingPrice", 800));
        var unpriced = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 极片检测装置").With("askingPrice", null));
        var budget = await enterprise.CreatePublishedAsync("/api/demands", Samples.Demand($"寻求{word}极片检测").With("budgetMax", 200));
        var cheap = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 极片检测系统").With("askingPrice", 50));
        await IndexedAsync(word, 4);

        Assert.Equal([cheap, budget, unpriced, dear], Ids(await SearchAsync($"q={word}&sort=newest")));
        var byPrice = await SearchAsync($"q={word}&sort=price");
        Assert.Equal("price", byPrice.GetProperty("sort").GetString());
        Assert.Equal([cheap, budget, dear, unpriced], Ids(byPrice));
        Assert.Equal([cheap, dear, unpriced], Ids(await SearchAsync($"q={word}&sort=price&kind=achievement")));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Anonymous().GetAsync($"/api/search?q={word}&sort=cheapest")).StatusCode);
    }

    [Fact]
    public async Task Every_facet_count_is_the_number_of_hits_after_clicking_it()
    {
        var word = Samples.UniqueWord();
        var university = await api.SignedInAsync("demo-university");
        foreach (var (trl, field, province) in new[] { (3, "NewEnergy", "江苏"), (5, "NewEnergy", "北京"), (5, "NewMaterials", "江苏"), (7, "NewMaterials", "广东"), (9, "NewEnergy", "江苏") })
            await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 极片检测")
                .With("trl", trl).With("techField", field).With("province", province));
        await (await api.SignedInAsync("demo-enterprise")).CreatePublishedAsync("/api/demands", Samples.Demand($"寻求{word}极片检测").With("minTrl", 4));
        await IndexedAsync(word, 6);

        // Clicked alone, and with another facet already clicked: each count is what clicking it gives.
        foreach (var applied in new[] { "", "&field=NewEnergy", "&trlMin=5", "&region=yangtze-delta", "&kind=achievement" })
        {
            var facets = (await SearchAsync($"q={word}{applied}")).GetProperty("facets");
            var clicks = facets.GetProperty("trl").EnumerateObject().Select(f => ($"trlMin={f.Name}", f.Value.GetInt32()))
                .Concat(facets.GetProperty("techField").EnumerateObject().Select(f => ($"field={f.Name}", f.Value.GetInt32())))
                .Concat(facets.GetProperty("region").EnumerateObject().Select(f => ($"region={f.Name}", f.Value.GetInt32())))
                .Concat(facets.GetProperty("kind").EnumerateObject().Where(f => f.Value.GetInt32() > 0).Select(f => ($"kind={f.Name}", f.Value.GetInt32())))
                .ToList();
            Assert.NotEmpty(clicks);
            foreach (var (click, count) in clicks)
            {
                // Clicking a facet replaces that facet's own filter and keeps the others.
                var name = click.Split('=')[0];
                var kept = string.Concat(applied.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(f => !f.StartsWith(name + "=")).Select(f => "&" + f));
                Assert.Equal(count, (await SearchAsync($"q={word}{kept}&{click}")).GetProperty("total").GetInt32());
            }
        }
        // TRL counts "at least": ≥ 5 is four achievements; ≥ 4 adds the demand (its minimum TRL is 4).
        var trlCounts = (await SearchAsync($"q={word}")).GetProperty("facets").GetProperty("trl");
        Assert.Equal(4, trlCounts.GetProperty("5").GetInt32());
        Assert.Equal(5, trlCounts.GetProperty("4").GetInt32());
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

    [Theory]
    [InlineData("/api/search?page=100000&size=100")]
    [InlineData("/api/search?page=11&size=100")]
    [InlineData("/api/search?page=51")]
    [InlineData("/api/achievements?page=11&size=100")]
    [InlineData("/api/demands?page=1001&size=1")]
    public async Task Paging_past_the_first_thousand_results_is_a_quick_400_that_says_to_narrow_the_query(string url)
    {
        var clock = Stopwatch.StartNew();
        var response = await api.Anonymous().GetAsync(url);
        clock.Stop();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.BodyAsync();
        Assert.Equal("page-too-deep", problem.GetProperty("code").GetString());
        Assert.Contains("缩小查询范围", problem.GetProperty("detailZh").GetString());
        Assert.Contains("narrow the query", problem.GetProperty("detail").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}"); // refused before any index or table is read
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Anonymous().GetAsync("/api/search?size=101")).StatusCode);
    }

    [Fact]
    public async Task The_last_allowed_page_answers_with_the_right_total()
    {
        var word = Samples.UniqueWord();
        var university = await api.SignedInAsync("demo-university");
        await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 最后一页仍报总数"));
        await IndexedAsync(word, 1);

        // Page 10 of 100 (results 901–1000) is past the one hit, but the total still says there is one.
        var last = await SearchAsync($"q={word}&page=10&size=100");
        Assert.Equal(1, last.GetProperty("total").GetInt32());
        Assert.Empty(last.GetProperty("items").EnumerateArray());
        var browse = await SearchAsync("page=50&size=20");
        Assert.Equal((await SearchAsync("size=1")).GetProperty("total").GetInt32(), browse.GetProperty("total").GetInt32());

        var list = await (await api.Anonymous().GetAsync("/api/achievements?status=Published&page=10&size=100")).BodyAsync();
        var first = await (await api.Anonymous().GetAsync("/api/achievements?status=Published&size=1")).BodyAsync();
        Assert.Equal(first.GetProperty("total").GetInt64(), list.GetProperty("total").GetInt64());
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
