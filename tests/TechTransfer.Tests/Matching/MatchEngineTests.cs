using System.Text.Json;
using TechTransfer.Listings;
using TechTransfer.Matching;

namespace TechTransfer.Tests.Matching;

/// <summary>The matching core without a cluster: the same index and engine production uses.</summary>
public sealed class MatchEngineTests : IDisposable
{
    readonly ListingIndex index = new ListingIndex();
    readonly MatchEngine engine;

    public MatchEngineTests() => engine = new MatchEngine(index, new MatchingOptions { Threshold = 0, TopK = 5 });

    static ListingDocument Achievement(string id, string title, string summary, string[] keywords, string field = "NewEnergy",
        int trl = 6, decimal? price = 300, string province = "江苏", string? region = "yangtze-delta", int version = 1) =>
        ListingDocument.FromView(ListingKind.Achievement, JsonSerializer.SerializeToElement(new
        {
            id, title, summary, keywords, techField = field, trl, transferModes = new[] { "License" }, askingPrice = price, province,
            regionCode = region, ownerOrganizationId = "org-a", version,
        }));

    static ListingDocument Demand(string id, string title, string description, string[] keywords, string field = "NewEnergy",
        int minTrl = 5, decimal? budgetMax = 500, string province = "广东", string? region = "greater-bay", int version = 1) =>
        ListingDocument.FromView(ListingKind.Demand, JsonSerializer.SerializeToElement(new
        {
            id, title, description, keywords, techField = field, minTrl, budgetMin = 100m, budgetMax, province, regionCode = region,
            ownerOrganizationId = "org-d", version,
        }));

    void Index(params ListingDocument[] docs)
    {
        foreach (var doc in docs) index.Upsert(doc);
        index.Refresh();
    }

    static readonly ListingDocument Battery = Achievement("ach-1", "锂电池极片缺陷在线检测方法",
        "本成果提出一种基于深度学习的锂电池极片缺陷在线检测方法，可在涂布产线上实时识别划痕与漏涂。", ["锂电池", "缺陷检测", "深度学习"]);
    static readonly ListingDocument Rice = Achievement("ach-2", "水稻抗倒伏栽培技术",
        "通过控制氮肥施用与株型调控，提高水稻的抗倒伏能力，适用于长江中下游稻区。", ["水稻", "抗倒伏", "栽培"], field: "BioMedicine");
    static readonly ListingDocument Need = Demand("dem-1", "寻求动力电池极片缺陷检测技术",
        "我公司涂布产线需要实时检测锂电池极片的缺陷，要求漏检率低。", ["极片", "缺陷检测"]);

    [Fact]
    public void A_new_demand_finds_the_fitting_achievement_first_and_explains_why()
    {
        Index(Battery, Rice);
        var matches = engine.FindMatches(Need);
        var best = matches[0];
        Assert.Equal("ach-1", best.AchievementId);
        Assert.Equal("dem-1", best.DemandId);
        Assert.InRange(best.Score, 0, 100);
        Assert.True(matches.Count == 1 || best.Score > matches[1].Score);
        Assert.Contains("缺陷", string.Join(' ', best.Explanation.MatchedTerms));
        Assert.Contains("<em>", best.Explanation.AchievementSnippet);
        Assert.Contains("<em>", best.Explanation.DemandSnippet);
        var criteria = best.Explanation.Criteria.ToDictionary(c => c.Name, c => c.Held);
        Assert.True(criteria["sameTechField"]);
        Assert.True(criteria["trlMeetsMinimum"]);
        Assert.True(criteria["priceWithinBudget"]);
        Assert.False(criteria["sameRegion"]);
    }

    [Fact]
    public void A_new_achievement_finds_the_fitting_demand()
    {
        Index(Need, Demand("dem-2", "寻求水稻高产栽培技术", "提高单产", ["水稻"], field: "BioMedicine"));
        var best = engine.FindMatches(Battery)[0];
        Assert.Equal("dem-1", best.DemandId);
        Assert.Equal("ach-1", best.AchievementId);
    }

    [Fact]
    public void Failed_criteria_lower_the_score_of_the_same_text()
    {
        var immature = Achievement("ach-3", Battery.Title, Battery.Body, Battery.Keywords, trl: 2, price: 5000, field: "ElectronicInformation");
        Index(Battery, immature);
        var matches = engine.FindMatches(Need).ToDictionary(m => m.AchievementId);
        Assert.True(matches["ach-1"].Score > matches["ach-3"].Score);
        var criteria = matches["ach-3"].Explanation.Criteria.ToDictionary(c => c.Name, c => c.Held);
        Assert.False(criteria["trlMeetsMinimum"]);
        Assert.False(criteria["priceWithinBudget"]);
        Assert.False(criteria["sameTechField"]);
    }

    [Fact]
    public void The_threshold_keeps_weak_pairs_out()
    {
        Index(Rice);
        var strict = new MatchEngine(index, new MatchingOptions { Threshold = 90 });
        Assert.Empty(strict.FindMatches(Need));
    }

    [Fact]
    public void A_removed_listing_leaves_the_results_and_an_older_replay_cannot_bring_it_back()
    {
        Index(Battery);
        index.Remove(ListingKind.Achievement, "ach-1", version: 2);
        index.Upsert(Battery); // version 1, replayed late
        index.Refresh();
        Assert.Empty(engine.FindMatches(Need));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Search_filters_and_counts_facets()
    {
        Index(Battery, Rice, Achievement("ach-4", "固态电池电解质", "硫化物固态电解质的制备", ["固态电池"], trl: 3, province: "北京", region: "jing-jin-ji"));
        var (all, total, facets) = index.Search("电池", new SearchFilter(ListingKind.Achievement), 0, 10);
        Assert.Equal(2, total);
        Assert.Equal(2, facets.TechField["NewEnergy"]);
        Assert.Equal(1, facets.Region["jing-jin-ji"]);
        var (mature, matureTotal, _) = index.Search("电池", new SearchFilter(ListingKind.Achievement, TrlMin: 5), 0, 10);
        Assert.Equal(1, matureTotal);
        Assert.Equal("ach-1", mature[0].Document.Id);
        Assert.Equal(1, index.Search("", new SearchFilter(ListingKind.Achievement, RegionCode: "jing-jin-ji"), 0, 10).Total);
        Assert.Equal(0, index.Search("电池", new SearchFilter(ListingKind.Demand), 0, 10).Total);
        Assert.NotEmpty(all);
    }

    [Theory]
    [InlineData("AND (")]
    [InlineData("*:*")]
    [InlineData("title:\"")]
    [InlineData("\u0000\u0001\u001f")]
    [InlineData("电池 OR 1=1; DROP TABLE tt_listing; --")]
    public void Query_syntax_is_only_text_and_never_returns_the_whole_index(string hostile)
    {
        Index(Battery, Rice);
        var (_, total, _) = index.Search(hostile, new SearchFilter(ListingKind.Achievement), 0, 10);
        Assert.True(total < 2);
    }

    [Fact]
    public void A_ten_thousand_character_query_is_answered()
    {
        Index(Battery, Rice);
        var (hits, _, _) = index.Search(string.Concat(Enumerable.Repeat("锂电池极片缺陷", 1500)), new SearchFilter(ListingKind.Achievement), 0, 10);
        Assert.Equal("ach-1", hits[0].Document.Id);
    }

    [Fact]
    public void Highlights_escape_html_and_mark_terms()
    {
        var html = MatchEngine.Highlight("<script>alert(1)</script> 电池", ["电池"]);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.EndsWith("<em>电池</em>", html);
    }

    public void Dispose() => index.Dispose();
}
