using TechTransfer.Listings;

namespace TechTransfer.Matching;

/// <summary>
/// One host's search partitions as the cluster reaches them: keyed by the host's silo address and always active on
/// that host (<see cref="NamedSiloPlacement"/>). A scattered read (<see cref="MarketSearch"/>) asks one holder of each
/// partition for its part, read with the market's statistics it passes along; a part answered with a statistic the
/// caller did not pass lists it in Missing, and the caller asks again once it has the market's value.
/// </summary>
[Alias("tt.ISearchHostGrain")]
public interface ISearchHostGrain : IGrainWithStringKey
{
    /// <summary>The host's layout and whether its partitions are loaded.</summary>
    [Alias("Holding")]
    Task<SearchHolding> Holding();

    /// <summary>This host's own value of each statistic over its <paramref name="partitions"/> (summed by the caller).</summary>
    [Alias("Statistics")]
    Task<Dictionary<string, long>> Statistics(int[] partitions, string[] keys);

    [Alias("Search")]
    Task<PartitionPage> Search(int[] partitions, SearchRequest request, Dictionary<string, long> market);

    [Alias("MoreLike")]
    Task<PartitionHits> MoreLike(int[] partitions, ListingKind kind, string json, SearchFilter filter, int take, Dictionary<string, long> market);

    [Alias("Finds")]
    Task<PartitionFinds> Finds(int[] partitions, string id, string[] texts, Dictionary<string, long> market);
}

[GenerateSerializer, Immutable, Alias("tt.SearchHolding")]
public sealed record SearchHolding(int Partitions, int[] Held, bool Ready);

/// <summary>A hit as it travels: the stored public view, the score and the headline words as the index stores them.</summary>
[GenerateSerializer, Immutable, Alias("tt.PartitionHit")]
public sealed record PartitionHit(ListingKind Kind, string Json, float Score, string[]? HeadlineWords)
{
    public static PartitionHit From(IndexHit hit) => new(hit.Document.Kind, hit.Document.Json, hit.Score,
        hit.HeadlineWords is { } words ? [.. words.Select(w => w.Term + "\t" + w.Surface)] : null);

    public IndexHit ToHit()
    {
        using var view = System.Text.Json.JsonDocument.Parse(Json);
        return new IndexHit(ListingDocument.FromView(Kind, view.RootElement), Score,
            HeadlineWords?.Select(w => w.Split('\t') is [var term, var surface] ? (term, surface) : (w, w)).ToList());
    }
}

/// <summary>A part of a scattered query-by-document: the best candidates among some partitions.</summary>
[GenerateSerializer, Immutable, Alias("tt.PartitionHits")]
public sealed record PartitionHits(PartitionHit[] Hits, Dictionary<string, long> Missing)
{
    public static PartitionHits Of(ListingIndex index, int[] partitions, ListingKind kind, string json, SearchFilter filter, int take,
        Dictionary<string, long> market)
    {
        using var view = System.Text.Json.JsonDocument.Parse(json);
        var statistics = new MarketStatistics(market);
        var hits = index.MoreLikeHits(ListingDocument.FromView(kind, view.RootElement), filter, take, partitions, statistics);
        return new([.. hits.Select(PartitionHit.From)], statistics.Missing);
    }
}

/// <summary>A part of a scattered search: the first Skip + Take hits among some partitions, their total and facets.</summary>
[GenerateSerializer, Immutable, Alias("tt.PartitionPage")]
public sealed record PartitionPage(
    PartitionHit[] Hits, int Total, Dictionary<string, int> TechField, Dictionary<string, int> Region, Dictionary<string, int> Trl,
    Dictionary<string, int> Kind, Dictionary<string, long> Missing)
{
    public static PartitionPage Of(ListingIndex index, int[] partitions, SearchRequest request, Dictionary<string, long> market)
    {
        var statistics = new MarketStatistics(market);
        var page = index.Search(request, partitions, statistics);
        return new([.. page.Hits.Select(PartitionHit.From)], page.Total, new(page.Facets.TechField), new(page.Facets.Region),
            new(page.Facets.Trl), new(page.Facets.Kind ?? new Dictionary<string, int>()), statistics.Missing);
    }
}

/// <summary>A scattered saved-search check, asked of the holder of the listing's partition.</summary>
[GenerateSerializer, Immutable, Alias("tt.PartitionFinds")]
public sealed record PartitionFinds(bool[] Found, Dictionary<string, long> Missing)
{
    public static PartitionFinds Of(ListingIndex index, int[] partitions, string id, string[] texts, Dictionary<string, long> market)
    {
        var statistics = new MarketStatistics(market);
        return new(index.Finds(id, texts, partitions, statistics), statistics.Missing);
    }
}
