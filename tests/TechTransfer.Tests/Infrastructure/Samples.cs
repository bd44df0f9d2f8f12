using System.Text.Json.Nodes;

namespace TechTransfer.Tests.Infrastructure;

/// <summary>Valid create bodies, as JSON objects so a test can break exactly one field.</summary>
public static class Samples
{
    /// <summary>A word no other test uses: lower-case letters, which the analyzer keeps as one term.</summary>
    public static string UniqueWord() => "zz" + string.Concat(Guid.NewGuid().ToString("N")[..8].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))));

    public static JsonObject Achievement(string title = "一种锂电池极片缺陷在线检测方法") => new()
    {
        ["title"] = title,
        ["summary"] = "本成果提出一种基于深度学习的锂电池极片缺陷在线检测方法，检测速度达每分钟 60 米。",
        ["keywords"] = new JsonArray("锂电池", "缺陷检测", "深度学习"),
        ["techField"] = "NewEnergy",
        ["trl"] = 6,
        ["transferModes"] = new JsonArray("License", "Assignment"),
        ["askingPrice"] = 300,
        ["province"] = "江苏",
        ["ipRights"] = new JsonArray(new JsonObject { ["kind"] = "InventionPatent", ["number"] = "ZL202310000001.X" }),
        ["contact"] = new JsonObject { ["name"] = "王老师", ["phone"] = "025-83790000", ["email"] = "tto@example.edu.cn" },
    };

    public static JsonObject Demand(string title = "寻求动力电池极片在线检测技术") => new()
    {
        ["title"] = title,
        ["description"] = "我公司需要在涂布产线上实时检测极片缺陷，要求漏检率低于千分之一。",
        ["keywords"] = new JsonArray("极片", "缺陷检测"),
        ["techField"] = "NewEnergy",
        ["minTrl"] = 5,
        ["budgetMin"] = 100,
        ["budgetMax"] = 500,
        ["province"] = "广东",
        ["deadline"] = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd"),
        ["contact"] = new JsonObject { ["name"] = "李工", ["phone"] = "020-38880000" },
    };

    /// <summary>A copy of <paramref name="body"/> with one field set (or removed when <paramref name="value"/> is null).</summary>
    public static JsonObject With(this JsonObject body, string field, JsonNode? value)
    {
        var copy = body.DeepClone().AsObject();
        if (value is null) copy.Remove(field);
        else copy[field] = value;
        return copy;
    }
}
