using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Vocabulary;

namespace TechTransfer.Search;

public static class SearchEndpoints
{
    public const int MaxQueryLength = 500;

    public sealed record SearchHit(string Id, string Kind, string Title, string TitleHighlighted, string Snippet, float Relevance,
        string TechField, string Province, string? RegionCode, int Trl, decimal? Price);

    public sealed record SearchResult(IReadOnlyList<SearchHit> Items, int Total, int Page, int Size, Facets Facets);

    public static void MapSearch(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/search", SearchAsync).WithTags("Search");

    /// <summary>
    /// Free text over published listings with filters and facets. The text is analysed into terms and never
    /// handed to a query parser, so Lucene syntax is just text; a text with no searchable term finds nothing.
    /// </summary>
    static async Task<IResult> SearchAsync(string? q, string? kind, string? field, string? province, string? region, int? trlMin,
        decimal? priceMax, int? page, int? size, IndexReplica replica, RegionDirectory regions)
    {
        var v = new Validation();
        var text = q is null ? "" : new string([.. q.Where(c => !char.IsControl(c))]).Trim();
        if (text.Length > MaxQueryLength) v.Fail("q", "max-length", MaxQueryLength.ToString());
        var listingKind = kind switch
        {
            null or "" or "achievement" => ListingKind.Achievement,
            "demand" => ListingKind.Demand,
            _ => Fail(v, "kind", kind),
        };
        var techField = string.IsNullOrEmpty(field) ? null : v.Enum<TechField>("field", field);
        if (!string.IsNullOrEmpty(province) && !Provinces.IsKnown(province)) v.Fail("province", "unknown-value", province);
        if (!string.IsNullOrEmpty(region) && regions.Find(region) is null) v.Fail("region", "unknown-value", region);
        if (trlMin is not null) v.Range("trlMin", trlMin, 1, 9);
        v.Amount("priceMax", priceMax);
        v.ThrowIfInvalid();
        var (p, s) = ListingHttp.Paging(page, size);

        await replica.Ready;
        if (!string.IsNullOrEmpty(q) && text.Length == 0) return TypedResults.Ok(new SearchResult([], 0, p, s, Facets.None)); // only control characters
        var filter = new SearchFilter(listingKind, techField?.ToString(), NullIfEmpty(province), NullIfEmpty(region), trlMin, priceMax);
        var (hits, total, facets) = replica.Index.Search(text, filter, (p - 1) * s, s);
        var terms = ListingAnalysis.Tokens(ListingAnalysis.Title, text).Select(t => t.Surface).Distinct().ToArray();
        return TypedResults.Ok(new SearchResult(
            [.. hits.Select(h => new SearchHit(h.Document.Id, listingKind == ListingKind.Achievement ? "achievement" : "demand", h.Document.Title,
                MatchEngine.Highlight(h.Document.Title, terms), MatchEngine.Snippet(h.Document, terms), h.Score,
                h.Document.TechField, h.Document.Province, h.Document.RegionCode, h.Document.Trl, h.Document.Price))],
            total, p, s, facets));
    }

    static ListingKind Fail(Validation v, string field, string value)
    {
        v.Fail(field, "unknown-value", value);
        return ListingKind.Achievement;
    }

    static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
