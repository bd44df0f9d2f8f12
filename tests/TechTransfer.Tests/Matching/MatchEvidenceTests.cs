using System.Text.Json;
using TechTransfer.Listings;
using TechTransfer.Matching;

namespace TechTransfer.Tests.Matching;

/// <summary>What makes a push mean something: absolute scores, no match without shared meaning, explanations a professional reads.</summary>
public sealed class MatchEvidenceTests : IDisposable
{
    readonly ListingIndex index = new();

    static ListingDocument Achievement(string id, string title, string summary, string[] keywords, string field = "NewEnergy") =>
        ListingDocument.FromView(ListingKind.Achievement, JsonSerializer.SerializeToElement(new
        {
            id, title, summary, keywords, techField = field, trl = 6, transferModes = new[] { "License" }, askingPrice = 300m, province = "江苏",
            regionCode = "yangtze-delta", ownerOrganizationId = "org-a", version = 1,
        }));

    static ListingDocument Demand(string id, string title, string description, string[] keywords, string field = "NewEnergy") =>
        ListingDocument.FromView(ListingKind.Demand, JsonSerializer.SerializeToElement(new
        {
            id, title, description, keywords, techField = field, minTrl = 4, budgetMin = 100m, budgetMax = 500m, province = "广东",
            regionCode = "greater-bay", ownerOrganizationId = "org-d", version = 1,
        }));

    // A small market of real-sounding achievements from different fields: the background every test matches against.
    static readonly ListingDocument[] Market =
    [
        Achievement("ach-rice", "水稻抗倒伏高产栽培技术", "通过控制氮肥施用与株型调控，提高水稻的抗倒伏能力，适用于长江中下游稻区，平均增产8%。", ["水稻", "抗倒伏", "氮肥"], "BioMedicine"),
        Achievement("ach-concrete", "高性能混凝土裂缝自修复材料", "在混凝土中掺入微胶囊修复剂，裂缝出现时自动释放，修复宽度可达0.3毫米。", ["混凝土", "自修复", "微胶囊"], "NewMaterials"),
        Achievement("ach-tcm", "血府逐瘀汤治疗冠心病心绞痛的临床方案", "以血府逐瘀汤加减治疗气滞血瘀型冠心病心绞痛，总有效率92%。", ["血府逐瘀汤", "冠心病", "心绞痛"], "BioMedicine"),
        Achievement("ach-radar", "多普勒天气雷达资料同化系统", "利用三维变分方法同化多普勒天气雷达径向风资料，改进短时强降水预报。", ["多普勒天气雷达", "资料同化", "三维变分"], "ResourcesEnvironment"),
        Achievement("ach-welding", "钛铝异种金属激光焊接工艺", "采用激光偏置焊接钛合金与铝合金，接头抗拉强度达到铝母材的80%。", ["激光焊接", "钛合金", "铝合金"], "AdvancedManufacturing"),
    ];

    static readonly ListingDocument Graphene = Achievement("ach-graphene", "石墨烯复合负极材料及其快充锂离子电池",
        "本成果以石墨烯包覆硅碳复合负极，提升锂离子电池的快充性能，6C 倍率下容量保持率达到85%。", ["石墨烯", "快充", "锂离子电池", "负极材料"]);

    static readonly ListingDocument FastCharging = Demand("dem-fast", "动力电池快充负极材料开发",
        "我公司生产动力电池，现有石墨负极在快充时析锂严重，需要一种可支持 4C 以上快充的负极材料，循环 1000 次容量保持率不低于 80%。",
        ["石墨烯", "快充"]);

    void Index(params ListingDocument[] docs)
    {
        foreach (var doc in docs) index.Upsert(doc);
        index.Refresh();
    }

    MatchEngine Engine(int threshold) => new(index, new MatchingOptions { Threshold = threshold, TopK = 10 });

    [Fact]
    public void A_pair_sharing_only_stopwords_digits_or_boilerplate_never_matches()
    {
        var boilerplate = Achievement("ach-boiler", "一种新的技术方法研究与应用 2023",
            "本研究提出了一种方法，通过分析与设计，实现了系统的应用，结果表明效果显著，提高了 60% 的效率。", ["研究", "方法", "2023"]);
        Index([.. Market, boilerplate]);
        var need = Demand("dem-boiler", "我单位需要一种新的技术方法 2023", "我单位需要相关技术，希望通过合作进行研究与应用，提高 60% 的效率。", ["技术", "方法"]);
        Assert.Empty(Engine(threshold: 0).FindMatches(need));
    }

    [Fact]
    public void A_demand_with_no_relevant_achievement_in_the_index_pushes_nothing()
    {
        Index(Market);
        Assert.Empty(Engine(new MatchingOptions().Threshold).FindMatches(FastCharging));
    }

    [Fact]
    public void The_score_of_a_pair_does_not_depend_on_the_other_listings_in_the_index()
    {
        Index([.. Market, Graphene]);
        var alone = Engine(0).FindMatches(FastCharging).Single(m => m.AchievementId == "ach-graphene").Score;

        // A better partner and a hundred unrelated listings join the market: the pair means what it meant.
        var better = Achievement("ach-better", "动力电池快充石墨烯负极材料", "石墨烯负极材料支持动力电池 4C 快充，循环 1000 次容量保持率 85%，解决析锂问题。",
            ["石墨烯", "快充", "负极材料", "动力电池"]);
        Index([better, .. Unrelated(100)]);
        var matches = Engine(0).FindMatches(FastCharging);
        Assert.Equal("ach-better", matches[0].AchievementId);
        var crowded = matches.Single(m => m.AchievementId == "ach-graphene").Score;
        // Specificity is measured over the market, so a 20-fold larger market may move it by a point or two, never by rank.
        Assert.InRange(crowded, alone - 3, alone + 3);
    }

    [Fact]
    public void A_pair_sharing_one_specific_word_scores_in_a_market_of_its_own_as_it_does_once_a_hundred_others_have_joined()
    {
        // The first listings of a new network are too few to tell a common word from a specific one; that must not
        // make their matches weaker than the same pair's in a grown market. They share one word, the achievement's keyword.
        var spinel = Achievement("ach-spinel", "锰酸锂正极材料的低温固相合成", "以碳酸锂和二氧化锰为原料，低温固相反应合成正极材料，降低合成能耗。",
            ["锰酸锂", "固相反应"]);
        var need = Demand("dem-spinel", "锰酸锂电池循环寿命提升", "我公司生产储能电池，需要提高高温下的循环寿命。", ["储能电池"]);
        Index(spinel);
        var young = Assert.Single(Engine(new MatchingOptions().Threshold).FindMatches(need)).Score;
        Index([.. Market, .. Unrelated(100)]);
        var grown = Engine(0).FindMatches(need).Single(m => m.AchievementId == "ach-spinel").Score;
        Assert.InRange(young, grown - 3, grown + 3);
    }

    static ListingDocument[] Unrelated(int count) => [.. Enumerable.Range(0, count).Select(i => Achievement($"ach-other-{i}", $"第{i}号茶园病虫害绿色防控方案",
        "以生物农药和天敌昆虫防治茶小绿叶蝉，减少化学农药用量。", ["茶园", "绿色防控"], "BioMedicine"))];

    [Fact]
    public void The_same_pair_scores_the_same_whichever_side_was_published_second()
    {
        Index([.. Market, Graphene, FastCharging]);
        var fromDemand = Engine(0).FindMatches(FastCharging).Single(m => m.AchievementId == "ach-graphene");
        var fromAchievement = Engine(0).FindMatches(Graphene).Single(m => m.DemandId == "dem-fast");
        Assert.Equal(fromDemand.Score, fromAchievement.Score);
    }

    [Fact]
    public void A_fitting_pair_is_pushed_and_its_declared_keywords_lead_the_explanation_whole()
    {
        Index([.. Market, Graphene]);
        var match = Assert.Single(Engine(new MatchingOptions().Threshold).FindMatches(FastCharging));
        Assert.Equal("ach-graphene", match.AchievementId);
        var terms = match.Explanation.MatchedTerms;
        // Keywords either side declared come first (石墨烯, 快充 from the need; 负极材料, 锂离子电池 from the achievement).
        Assert.Contains("石墨烯", terms.Take(3));
        Assert.Contains("快充", terms.Take(3));
        Assert.Contains("负极材料", terms);
        Assert.StartsWith("双方均涉及", match.Explanation.Reason);
        Assert.Contains("石墨烯", match.Explanation.Reason);
        Assert.EndsWith("。", match.Explanation.Reason);
    }

    [Fact]
    public void A_machine_made_keyword_index_is_not_a_declaration()
    {
        // The same record twice: once with what its author declared, once with an index of fifteen terms around it.
        string[] declared = ["石墨烯", "快充", "锂离子电池", "负极材料"];
        var authored = Achievement("ach-authored", "硅碳复合负极材料的制备", "以硅碳复合提升负极材料的容量。", declared);
        var indexed = Achievement("ach-indexed", "硅碳复合负极材料的制备", "以硅碳复合提升负极材料的容量。",
            [.. declared, "试验", "国内", "市场", "产品", "企业", "工艺", "性能", "应用", "发展", "质量", "生产"]);
        Index([.. Market, authored, indexed]);
        var matches = Engine(0).FindMatches(FastCharging);
        var (byAuthor, byIndex) = (matches.Single(m => m.AchievementId == "ach-authored"), matches.Single(m => m.AchievementId == "ach-indexed"));
        Assert.True(byAuthor.Score > byIndex.Score, $"{byAuthor.Score} > {byIndex.Score}");
    }

    [Fact]
    public void No_explanation_holds_a_stopword_a_lone_character_or_a_bare_number()
    {
        Index([.. Market, Graphene]);
        var needs = new[]
        {
            FastCharging,
            Demand("dem-1", "寻求冠心病心绞痛中医治疗方案", "我院需要血府逐瘀汤相关的临床方案，提高治疗有效率。", ["冠心病"], "BioMedicine"),
            Demand("dem-2", "钛合金与铝合金焊接技术合作", "我单位需要钛铝异种金属焊接的工艺，接头强度不低于母材 80%。", ["激光焊接"], "AdvancedManufacturing"),
            Demand("dem-3", "短时强降水预报系统", "需要同化多普勒天气雷达资料的方法，提高 0-6 小时预报准确率。", ["雷达"], "ResourcesEnvironment"),
        };
        var explained = needs.SelectMany(n => Engine(0).FindMatches(n)).ToList();
        Assert.NotEmpty(explained);
        foreach (var term in explained.SelectMany(m => m.Explanation.MatchedTerms))
            Assert.True(MeaningfulTerms.IsMeaningful(term), $"'{term}' is not meaningful: {MeaningfulTerms.WhyNot(term)}");
    }

    [Theory]
    [InlineData("的", "lone character")]
    [InlineData("基于", "stopword")]
    [InlineData("我单位", "stopword")]
    [InlineData("需要", "stopword")]
    [InlineData("技术", "stopword")]
    [InlineData("研究", "stopword")]
    [InlineData("时", "lone character")]
    [InlineData("60", "number")]
    [InlineData("0.5", "number")]
    [InlineData("a", "lone letter")]
    public void Words_that_say_nothing_are_named_as_such(string word, string why) => Assert.Equal(why, MeaningfulTerms.WhyNot(word));

    [Theory]
    [InlineData("石墨烯")]
    [InlineData("快充")]
    [InlineData("PCB")]
    [InlineData("5G")]
    [InlineData("血府逐瘀汤")]
    public void Technical_words_are_meaningful(string word) => Assert.True(MeaningfulTerms.IsMeaningful(word));

    public void Dispose() => index.Dispose();
}
