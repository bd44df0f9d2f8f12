using System.Text.RegularExpressions;

namespace TechTransfer.Achievements;

/// <summary>One thing a buyer needs to know about an achievement, whether the listing says it, and what to add if not.</summary>
[GenerateSerializer, Immutable, Alias("tt.CompletenessItem")]
public sealed record CompletenessItem([property: Id(0)] string Item, [property: Id(1)] string Label, [property: Id(2)] bool Present,
    [property: Id(3)] string Prompt);

/// <summary>How many of the six things a buyer needs the listing states (科技成果评价, docs/institutions.md §3).</summary>
[GenerateSerializer, Immutable, Alias("tt.Completeness")]
public sealed record Completeness([property: Id(0)] int Score, [property: Id(1)] int Of, [property: Id(2)] CompletenessItem[] Items);

/// <summary>
/// The completeness of an achievement listing at entry: application, advantages, maturity evidence, IP status,
/// cooperation mode and price basis. Each is found in the structured fields where the form has one (IP rights,
/// transfer modes, asking price) and otherwise in the summary: its section heading as the form's template writes it
/// (【应用领域】…) or the words such a passage uses. What is missing comes with a concrete prompt.
/// </summary>
public static partial class AchievementCompleteness
{
    [GeneratedRegex("【应用领域】|应用领域|应用场景|适用于|可应用于|可用于|用于.{0,20}(行业|领域|企业|生产|工程)")]
    private static partial Regex Application();

    [GeneratedRegex("【技术优势】|技术优势|优势|优于|提高(了)?.{0,12}(\\d|倍|%|％)|降低(了)?.{0,12}(\\d|倍|%|％)|缩短|节约|填补")]
    private static partial Regex Advantages();

    [GeneratedRegex("【成熟度】|成熟度|实验室验证|样机|中试|小试|示范|试生产|试运行|量产|批量|产业化|已应用|技术就绪")]
    private static partial Regex Maturity();

    [GeneratedRegex("【知识产权】|专利|软件著作权|著作权|技术秘密|商业秘密|植物新品种|集成电路布图")]
    private static partial Regex Ip();

    [GeneratedRegex("面议|定价|估值|评估价|参考价|报价")]
    private static partial Regex PriceBasis();

    public static Completeness Of(AchievementContent c) => Of(c.Summary, c.IpRights.Length, c.TransferModes.Length, c.AskingPrice);

    /// <summary>From the parts of a form as typed (a draft may lack any of them).</summary>
    public static Completeness Of(string? summary, int ipRights, int transferModes, decimal? askingPrice)
    {
        var text = summary ?? "";
        CompletenessItem[] items =
        [
            new("application", "应用领域", Application().IsMatch(text),
                "写明可应用的行业、场景和典型用户，如“【应用领域】锂电池极片生产线的在线缺陷检测”。"),
            new("advantages", "技术优势", Advantages().IsMatch(text),
                "写明与现有技术相比好在哪里，最好有数字，如“【技术优势】检测速度提高 3 倍，漏检率低于 0.1%”。"),
            new("maturity", "成熟度依据", Maturity().IsMatch(text),
                "说明技术成熟度的依据：实验室验证、样机、中试、示范应用或量产，如“【成熟度】已完成中试，连续运行 500 小时”。"),
            new("ip", "知识产权", ipRights > 0 || Ip().IsMatch(text),
                "填写专利号等知识产权，或在简介中说明权属（如“【知识产权】以技术秘密形式保护”）。"),
            new("cooperation", "合作方式", transferModes > 0,
                "选择可接受的转化方式：转让、许可、作价入股或合作开发等。"),
            new("price", "价格依据", askingPrice is not null || PriceBasis().IsMatch(text),
                "填写参考价格（可先看“评估报价”给出的区间），或在简介中说明定价依据或“价格面议”。"),
        ];
        return new Completeness(items.Count(i => i.Present), items.Length, items);
    }
}
