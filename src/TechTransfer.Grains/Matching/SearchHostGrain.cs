using Orleans.Concurrency;
using TechTransfer.Listings;

namespace TechTransfer.Matching;

/// <summary>
/// Answers for this host's partitions from its <see cref="IndexReplica"/>. Reentrant and off the grain's thread
/// (Task.Run), so the host's cores serve many parts at once.
/// </summary>
[NamedSiloPlacement, Reentrant]
public sealed class SearchHostGrain(IndexReplica replica) : Grain, ISearchHostGrain
{
    public Task<SearchHolding> Holding() =>
        Task.FromResult(new SearchHolding(replica.Index.Layout.Count, replica.Index.Layout.Held, replica.Ready.IsCompleted));

    public Task<Dictionary<string, long>> Statistics(int[] partitions, string[] keys) =>
        Read(partitions, catchUp: false, index => index.Statistics(partitions, keys));

    public Task<PartitionPage> Search(int[] partitions, SearchRequest request, Dictionary<string, long> market) =>
        Read(partitions, catchUp: false, index => PartitionPage.Of(index, partitions, request, market));

    public Task<PartitionHits> MoreLike(int[] partitions, ListingKind kind, string json, SearchFilter filter, int take, Dictionary<string, long> market) =>
        Read(partitions, catchUp: true, index => PartitionHits.Of(index, partitions, kind, json, filter, take, market));

    public Task<PartitionFinds> Finds(int[] partitions, string id, string[] texts, Dictionary<string, long> market) =>
        Read(partitions, catchUp: true, index => PartitionFinds.Of(index, partitions, id, texts, market));

    /// <summary>
    /// Refuses partitions this host does not hold (the caller's view of the cluster is stale) or has not loaded.
    /// <paramref name="catchUp"/>: first apply every listing committed so far, as matching a new listing does on a
    /// host holding the whole market (a listing published a moment ago elsewhere is a candidate).
    /// </summary>
    async Task<T> Read<T>(int[] partitions, bool catchUp, Func<ListingIndex, T> read)
    {
        if (!replica.Ready.IsCompleted) throw new InvalidOperationException("this host's search partitions are still loading");
        if (partitions.Any(p => !replica.Index.Layout.Held.Contains(p)))
            throw new InvalidOperationException($"this host holds partitions {replica.Index.Layout.Stamp}, not {string.Join(',', partitions)}");
        if (catchUp) await replica.CatchUpAsync();
        var index = replica.Index;
        return await Task.Run(() => read(index));
    }
}
