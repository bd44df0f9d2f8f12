using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Achievements;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Achievements;

/// <summary>科技成果评价 at entry: the six things a buyer needs, found in the fields or the summary, and the prompts.</summary>
[Collection(ApiCollection.Name)]
public sealed class CompletenessTests(ApiFixture api)
{
    const string Full = """
        【成果简介】以罗非鱼鱼鳞为原料制成胶原-壳聚糖止血海绵。
        【技术优势】止血时间缩短至 68 s，吸水倍数 45。
        【应用领域】医用敷料与战地急救。
        【成熟度】已完成中试。
        【知识产权】已获授权发明专利 1 项。
        """;

    static string[] Missing(Completeness c) => [.. c.Items.Where(i => !i.Present).Select(i => i.Item)];

    [Fact]
    public void A_summary_in_the_forms_sections_with_rights_modes_and_a_price_has_all_six()
    {
        var c = AchievementCompleteness.Of(Full, ipRights: 1, transferModes: 2, askingPrice: 300);
        Assert.Equal((6, 6), (c.Score, c.Of));
        Assert.Empty(Missing(c));
    }

    [Fact]
    public void A_bare_description_is_asked_for_each_missing_item_with_a_concrete_prompt()
    {
        var c = AchievementCompleteness.Of("本成果提出一种新型止血海绵的制备工艺。", ipRights: 0, transferModes: 0, askingPrice: null);
        Assert.Equal(0, c.Score);
        Assert.Equal(["application", "advantages", "maturity", "ip", "cooperation", "price"], Missing(c));
        Assert.Contains("【应用领域】", c.Items.Single(i => i.Item == "application").Prompt);
        Assert.Contains("评估报价", c.Items.Single(i => i.Item == "price").Prompt);
    }

    [Fact]
    public void Free_prose_counts_too_and_a_price_may_be_a_stated_basis()
    {
        var c = AchievementCompleteness.Of("该方法可用于锂电池生产企业的在线检测，检测效率提高 3 倍，已在两条产线示范应用，价格面议。",
            ipRights: 0, transferModes: 1, askingPrice: null);
        Assert.Equal(["ip"], Missing(c)); // no right named and none in the summary
        Assert.Equal(["application", "advantages", "maturity"], Missing(AchievementCompleteness.Of("已获发明专利。", 0, 1, 10m)));
    }

    [Fact]
    public async Task The_view_carries_it_and_the_form_can_ask_before_anything_is_valid()
    {
        var university = await api.SignedInAsync("demo-university");
        var id = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement("鱼鳞胶原止血海绵制备工艺").With("summary", Full));
        var view = await university.GetFromJsonAsync<JsonElement>($"/api/achievements/{id}");
        Assert.Equal(6, view.GetProperty("completeness").GetProperty("score").GetInt32());

        // A draft that would be refused (no title, no field) still gets its prompts.
        var asked = await university.PostAsJsonAsync("/api/achievements/completeness", new { summary = "【应用领域】医用敷料。", ipRights = new[] { new { kind = "InventionPatent", number = "" } } });
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var c = await asked.BodyAsync();
        Assert.Equal(1, c.GetProperty("score").GetInt32()); // an IP row without a number is no right
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Host.CreateClient().PostAsJsonAsync("/api/achievements/completeness", new { })).StatusCode);
    }
}
