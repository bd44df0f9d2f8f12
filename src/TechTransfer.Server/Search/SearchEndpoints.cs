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
        string TechField, string Province, string? RegionCode, int Trl, decimal? Price, DateTimeOffset? PublishedAt);

    /// <summary>
    /// A page of hits. <paramref name="Kind"/> and <paramref name="Sort"/> say what was searched and in which order;
    /// <paramref name="Terms"/> are the words searched (what the hits highlight); <paramref name="Hint"/> says why a
    /// text found nothing (only common words, or no listing holds most of its words).
    /// </summary>
    public sealed record SearchResult(IReadOnlyList<SearchHit> Items, int Total, int Page, int Size, Facets Facets,
        string Kind, string Sort, IReadOnlyList<string> Terms, SearchHint? Hint);

    public static void MapSearch(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/search", SearchAsync).WithTags("Search").Produces<SearchResult>();

    /// <summary>
    /// Free text over published listings of one kind or both (全部, the default) with filters, facets and an order
    /// (relevance, newest, price). The text is analysed into words and never handed to a query parser, so Lucene
    /// syntax is just text; a text without a meaningful word finds nothing and says why (docs/matching.md, "Search").
    /// </summary>
    static async Task<IResult> SearchAsync(string? q, string? kind, string? sort, string? field, string? province, string? region,
        int? trlMin, decimal? priceMax, int? page, int? size, IndexReplica replica, MarketSearch search, RegionDirectory regions)
    {
        var v = new Validation();
        var text = q is null ? "" : new string([.. q.Where(c => !char.IsControl(c))]).Trim();
        if (text.Length > MaxQueryLength) v.Fail("q", "max-length", MaxQueryLength.ToString());
        ListingKind? listingKind = kind switch
        {
            null or "" or "all" => null,
            "achievement" => ListingKind.Achievement,
            "demand" => ListingKind.Demand,
            _ => Fail(v, "kind", kind, ListingKind.Achievement),
        };
        var order = sort switch
        {
            null or "" or "relevance" => SearchSort.Relevance,
            "newest" => SearchSort.Newest,
            "price" => SearchSort.Price,
            _ => Fail(v, "sort", sort, SearchSort.Relevance),
        };
        var techField = string.IsNullOrEmpty(field) ? null : v.Enum<TechField>("field", field);
        if (!string.IsNullOrEmpty(province) && !Provinces.IsKnown(province)) v.Fail("province", "unknown-value", province);
        if (!string.IsNullOrEmpty(region) && regions.Find(region) is null) v.Fail("region", "unknown-value", region);
        if (trlMin is not null) v.Range("trlMin", trlMin, 1, 9);
        v.Amount("priceMax", priceMax);
        v.ThrowIfInvalid();
        var (p, s) = ListingHttp.Paging(page, size);
        var kindName = listingKind switch { ListingKind.Achievement => "achievement", ListingKind.Demand => "demand", _ => "all" };
        var sortName = order.ToString().ToLowerInvariant();

        await replica.Ready;
        if (!string.IsNullOrEmpty(q) && text.Length == 0) // only control characters
            return TypedResults.Ok(new SearchResult([], 0, p, s, Facets.None, kindName, sortName, [], SearchQuery.NothingSearchable));
        var result = await search.SearchAsync(new SearchRequest(text, listingKind, techField?.ToString(), NullIfEmpty(province), NullIfEmpty(region),
            trlMin, priceMax, order, (p - 1) * s, s));
        var terms = result.Query.HighlightTerms;
        return TypedResults.Ok(new SearchResult(
            [.. result.Hits.Select(h => new SearchHit(h.Document.Id, h.Document.Kind == ListingKind.Achievement ? "achievement" : "demand", h.Document.Title,
                MatchEngine.Highlight(h.Document.Title, terms), MatchEngine.Snippet(h.Document, terms), h.Score,
                h.Document.TechField, h.Document.Province, h.Document.RegionCode, h.Document.Trl, h.Document.Price, h.Document.PublishedAt))],
            result.Total, p, s, result.Facets, kindName, sortName, terms, result.Query.HintFor(result.Total)));
    }

    static T Fail<T>(Validation v, string field, string value, T fallback)
    {
        v.Fail(field, "unknown-value", value);
        return fallback;
    }

    static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
