using System.Text.Json;
using TechTransfer.Listings;
using TechTransfer.Matching;

namespace TechTransfer.Tests.Matching;

/// <summary>How search reads a text, and what the index makes of it, without a host.</summary>
public sealed class SearchQueryTests : IDisposable
{
    readonly ListingIndex index = new();

    static string[] Concepts(string text) => [.. SearchQuery.Parse(text).Concepts.Select(c => c.Surface)];

    static ListingDocument Achievement(string id, string title, string summary, params string[] keywords) =>
        ListingDocument.FromView(ListingKind.Achievement, JsonSerializer.SerializeToElement(new
        {
            id, title, summary, keywords, techField = "NewEnergy", trl = 6, askingPrice = 100, province = "江苏", ownerOrganizationId = "org-a", version = 1,
        }));

    [Fact]
    public void A_lone_character_joins_the_word_it_belongs_to()
    {
        Assert.Equal(["锂离子", "电池"], Concepts("锂离子电池"));
        Assert.Equal(["锂电池", "缺陷", "检测"], Concepts("锂电池 缺陷检测"));
        Assert.Equal(["深度学习的锂电池极片缺陷在线检测"], SearchQuery.Parse("基于深度学习的锂电池极片缺陷在线检测方法研究").Phrases.Select(p => p.Surface));
    }

    [Fact]
    public void Characters_the_segmenter_does_not_know_make_one_concept_and_a_space_separates_words()
    {
        Assert.Equal(["血府逐瘀汤"], Concepts("血府逐瘀汤"));
        // SmartCn alone reads "细胞 体外" as 细胞体 + 外; the space is the user's, and 体 外 make 体外.
        Assert.Equal(["成纤维", "细胞", "体外", "培养"], Concepts("成纤维细胞 体外培养"));
        Assert.Equal(["Li4Ti5O12", "负极"], Concepts("Li4Ti5O12负极材料")); // 材料 alone says nothing (stopwords.txt)
    }

    [Fact]
    public void Common_words_lone_characters_and_numbers_are_not_searched_and_the_hint_says_so()
    {
        var query = SearchQuery.Parse("的 技术 2020");
        Assert.True(query.FindsNothing);
        Assert.Equal([("的", "stopword"), ("技术", "stopword"), ("2020", "number")], query.Ignored.Select(w => (w.Surface, w.Reason)));
        Assert.Equal("「的」「技术」是常用词，「2020」是数字，请输入具体的技术词语", query.HintFor(0)!.Zh);
        Assert.Equal("「锂」是单个汉字，请输入具体的技术词语", SearchQuery.Parse("锂").HintFor(0)!.Zh);
        Assert.Null(SearchQuery.Parse("").HintFor(0));
        Assert.Equal(["电池"], Concepts("的 电池"));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(7, 5)]
    [InlineData(10, 6)]
    public void A_document_must_hold_most_of_the_concepts(int concepts, int required) =>
        Assert.Equal(required, SearchQuery.RequiredOf(concepts));

    [Fact]
    public void Deep_learning_finds_the_listing_about_deep_learning_and_not_one_that_only_mentions_depth()
    {
        index.Upsert(Achievement("ach-1", "基于深度学习的污损指纹识别", "采用卷积神经网络的深度学习方法识别污损指纹。", "深度学习", "指纹识别"));
        index.Upsert(Achievement("ach-2", "热带海洋温跃层深度与南海夏季风强度关系", "分析温跃层深度的年际变化。", "温跃层", "夏季风"));
        index.Upsert(Achievement("ach-3", "学习型控制器与深度传感器的集成", "控制器在线学习，深度传感器测量液位。", "控制器"));
        index.Refresh();

        var page = index.Search(new SearchRequest("深度学习"));
        Assert.Equal(["ach-1", "ach-3"], page.Hits.Select(h => h.Document.Id));
        Assert.True(page.Hits[0].Score > 2 * page.Hits[1].Score, "the phrase ranks far above the words apart");
    }

    [Fact]
    public void Scores_of_both_kinds_share_one_ranking()
    {
        index.Upsert(Achievement("ach-1", "锂离子电池隔膜", "陶瓷涂覆隔膜。", "隔膜"));
        index.Upsert(ListingDocument.FromView(ListingKind.Demand, JsonSerializer.SerializeToElement(new
        {
            id = "dem-1", title = "寻求锂离子电池隔膜技术", description = "需要高安全锂离子电池隔膜。", keywords = new[] { "锂离子电池", "隔膜" },
            techField = "NewEnergy", minTrl = 5, budgetMax = 300, province = "广东", ownerOrganizationId = "org-d", version = 1,
        })));
        index.Refresh();

        var page = index.Search(new SearchRequest("锂离子电池隔膜"));
        Assert.Equal([ListingKind.Demand, ListingKind.Achievement], page.Hits.Select(h => h.Document.Kind));
        Assert.Equal(1, page.Facets.Kind!["achievement"]);
        Assert.Equal(1, page.Facets.Kind!["demand"]);
        // The same listing scores the same whether one kind or both are searched: one set of statistics.
        Assert.Equal(page.Hits[1].Score, index.Search(new SearchRequest("锂离子电池隔膜", ListingKind.Achievement)).Hits[0].Score);
    }

    public void Dispose() => index.Dispose();
}
