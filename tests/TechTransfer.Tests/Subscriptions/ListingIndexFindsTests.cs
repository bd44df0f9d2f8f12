using System.Text.Json;
using System.Text.Json.Nodes;
using TechTransfer.Listings;
using TechTransfer.Matching;

namespace TechTransfer.Tests.Subscriptions;

/// <summary>
/// How a new listing is tested against saved searches (ListingIndex.Finds): it must answer exactly what searching
/// with each text would show, the shortcut for texts whose concepts are not in the listing's words included.
/// </summary>
public sealed class ListingIndexFindsTests
{
    static readonly string Demo = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "TechTransfer.Server", "Demo");

    static IEnumerable<ListingDocument> Load(string file, ListingKind kind) =>
        File.ReadLines(Path.Combine(Demo, file)).Select((line, i) =>
        {
            var body = JsonNode.Parse(line)!.AsObject();
            body["id"] = $"{(kind == ListingKind.Achievement ? "ach" : "dem")}-{i:D4}";
            body["ownerOrganizationId"] = "org-x";
            body["version"] = 1;
            return ListingDocument.FromView(kind, JsonSerializer.SerializeToElement(body));
        });

    [Fact]
    public void A_listing_is_found_by_exactly_the_texts_whose_search_shows_it()
    {
        using var index = new ListingIndex();
        var listings = Load("achievements.jsonl", ListingKind.Achievement).Concat(Load("demands.jsonl", ListingKind.Demand)).ToList();
        foreach (var listing in listings) index.Upsert(listing);
        // What people type: one or two keywords of some listing, a title, Latin and Chinese mixed, common words.
        var texts = listings.Where((_, i) => i % 4 == 3).SelectMany(l => new[]
        {
            l.Keywords.FirstOrDefault() ?? l.Title, string.Join(' ', l.Keywords.Take(2)), l.Title, string.Join(' ', l.Keywords.Skip(1).Take(3)),
        }).Append("的 研究").Append("Li4Ti5O12 电池").Append("batteries").Distinct().ToList();
        var targets = listings.Where((_, i) => i % 24 == 3).ToList();

        var agreed = 0;
        foreach (var target in targets)
        {
            var finds = index.Finds(target.Id, texts);
            for (var i = 0; i < texts.Count; i++)
            {
                var shown = index.Search(new SearchRequest(texts[i], Take: listings.Count)).Hits.Any(h => h.Document.Id == target.Id);
                Assert.True(shown == finds[i], $"{target.Id} 「{target.Title}」 and 「{texts[i]}」: search {shown}, finds {finds[i]}");
                if (shown) agreed++;
            }
        }
        Assert.True(agreed >= 2 * targets.Count, $"only {agreed} texts found any target: the comparison says little");
        Assert.All(index.Finds("ach-none", texts), Assert.False);
    }
}
