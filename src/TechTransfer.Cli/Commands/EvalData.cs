using System.Text.Json;
using TechTransfer.Listings;
using TechTransfer.Matching;

namespace TechTransfer.Commands;

/// <summary>Reads the evaluation files of ../shared/data into the documents production indexes.</summary>
public static class EvalData
{
    public sealed record Demand(string Id, string Kind, string Text, Dictionary<string, int> Relevant);

    /// <summary>abstract → summary; title, summary and keywords as production indexes them. No structured fields.</summary>
    public static IEnumerable<ListingDocument> Achievements(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            yield return Achievement(r.GetProperty("id").GetString()!, r.GetProperty("title").GetString()!,
                r.GetProperty("abstract").GetString()!, [.. r.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()!)]);
        }
    }

    public static ListingDocument Achievement(string id, string title, string summary, string[] keywords)
    {
        var view = new { id, title, summary, keywords, techField = "", trl = 0, province = "", version = 1 };
        return new ListingDocument(id, ListingKind.Achievement, title, summary, keywords, "", 0, "", null, null, null, [], "", 1,
            JsonSerializer.Serialize(view));
    }

    /// <summary>A demand of the eval set as a posted need: its text is the need's title.</summary>
    public static ListingDocument AsListing(Demand demand) =>
        new(demand.Id, ListingKind.Demand, demand.Text, "", [], "", 0, "", null, null, null, [], "", 1,
            JsonSerializer.Serialize(new { id = demand.Id, title = demand.Text, description = "", keywords = Array.Empty<string>(), techField = "", minTrl = 0, province = "", version = 1 }));

    public static List<Demand> Demands(string path) =>
        [.. File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            return new Demand(r.GetProperty("id").GetString()!, r.GetProperty("kind").GetString()!, r.GetProperty("text").GetString()!,
                r.GetProperty("relevant").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()));
        })];
}
