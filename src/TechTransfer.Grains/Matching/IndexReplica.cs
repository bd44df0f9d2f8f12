using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TechTransfer.Listings;

namespace TechTransfer.Matching;

/// <summary>
/// This host's search index: a full replica of the published listings, derived from tt_listing and kept
/// current by its change feed (transaction ids read against snapshots + LISTEN/NOTIFY). Every host answers every query locally and
/// the same way. In memory, a host that starts or restarts rebuilds its replica from PostgreSQL; on disk
/// (<see cref="MatchingOptions.IndexPath"/>) it resumes from its files and the feed position committed with them.
/// Design and trade-offs: docs/matching.md.
/// </summary>
public sealed class IndexReplica : BackgroundService
{
    const int Batch = 5000;
    static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    readonly NpgsqlDataSource db;
    readonly MatchingOptions options;
    readonly PartitionLayout layout;
    readonly ILogger<IndexReplica> logger;
    readonly SemaphoreSlim gate = new(1, 1);
    readonly Lock coalescing = new();
    TaskCompletionSource? pending; // the catch-up that has not started yet; joined by whoever asks meanwhile
    readonly Lock rebuilding = new();
    readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    (ListingIndex Index, MatchEngine Engine) current;
    string? applied; // the snapshot everything up to which is applied (pg_snapshot text); null before the first load
    string? database; // which database and tt_listing the files were built from (on disk)
    readonly Lock committing = new();
    (ListingIndex Index, long Writes)? committed;

    public IndexReplica(NpgsqlDataSource db, IOptions<MatchingOptions> options, ILogger<IndexReplica> logger)
    {
        this.db = db;
        this.options = options.Value;
        this.logger = logger;
        layout = this.options.Layout;
        var index = new ListingIndex(layout);
        current = (index, new MatchEngine(index, this.options));
    }

    public ListingIndex Index => current.Index;

    public MatchEngine Engine => current.Engine;

    /// <summary>Completes when the replica is loaded: from PostgreSQL, or from its files and the feed since.</summary>
    public Task Ready => ready.Task;

    /// <summary>Whether this host's replica was resumed from its files rather than loaded from PostgreSQL.</summary>
    public bool Resumed { get; private set; }

    /// <summary>Where a rebuild stands (this host only).</summary>
    public RebuildStatus Rebuild { get; private set; } = RebuildStatus.None;

    /// <summary>
    /// Applies every change committed to tt_listing so far; safe to call from many places at once. Callers that
    /// arrive while a catch-up runs share the next one (it starts after they called, so it sees what they wrote):
    /// under load one pass and one refresh serve many publishes instead of one each.
    /// </summary>
    public Task CatchUpAsync(CancellationToken cancellation = default)
    {
        TaskCompletionSource next;
        var start = false;
        lock (coalescing)
        {
            if (pending is null) (pending, start) = (new(TaskCreationOptions.RunContinuationsAsynchronously), true);
            next = pending;
        }
        if (start) _ = RunCatchUpAsync(next);
        return next.Task.WaitAsync(cancellation);
    }

    async Task RunCatchUpAsync(TaskCompletionSource done)
    {
        await gate.WaitAsync();
        lock (coalescing) pending = null; // this pass starts now: later callers need the one after it
        try
        {
            applied = await ApplyChangesAsync(Index, applied, CancellationToken.None);
            done.SetResult();
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Builds a fresh index from tt_listing alongside the live one, which keeps answering meanwhile, then
    /// catches it up to the moment and swaps it in. Returns false when a rebuild is already running.
    /// </summary>
    public bool StartRebuild(TimeProvider time)
    {
        lock (rebuilding)
        {
            if (Rebuild.Running) return false;
            Rebuild = new RebuildStatus(true, 0, 0, time.GetUtcNow(), null, null);
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await using (var count = db.CreateCommand("SELECT count(*) FROM tt_listing WHERE status = 'Published'"))
                    Rebuild = Rebuild with { Total = (int)(long)(await count.ExecuteScalarAsync())! };
                var fresh = options.IndexPath is { } root ? ListingIndex.Create(NewGeneration(root), layout) : new ListingIndex(layout);
                var position = await ApplyChangesAsync(fresh, null, default, indexed => Rebuild = Rebuild with { Indexed = indexed });
                await gate.WaitAsync();
                ListingIndex old;
                try
                {
                    position = await ApplyChangesAsync(fresh, position, default);
                    old = current.Index;
                    current = (fresh, new MatchEngine(fresh, options));
                    applied = position;
                }
                finally
                {
                    gate.Release();
                }
                await CommitAsync();
                Rebuild = Rebuild with { Running = false, Indexed = fresh.Count, FinishedAt = time.GetUtcNow() };
                logger.LogInformation("Search replica rebuilt: {Count} published listings", fresh.Count);
                Retire(old);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Search replica rebuild failed; the current index stays in service");
                Rebuild = Rebuild with { Running = false, FinishedAt = time.GetUtcNow(), Error = e.Message };
            }
        });
        return true;
    }

    /// <summary>
    /// Applies to <paramref name="index"/> every row committed since the snapshot <paramref name="since"/> (all rows
    /// when null), reading in one snapshot of its own, which it returns as the new position.
    /// </summary>
    /// <remarks>
    /// Exact, not a window: a row is news exactly when the transaction that wrote it was not visible to the last
    /// snapshot — it had not started (xid ≥ that snapshot's xmax) or was still in progress (in its xip list).
    /// A transaction that commits late, after any number of others, is therefore found by the first read after its
    /// commit; one still in progress now is in this snapshot's list and is looked for again next time. seq only pages.
    /// </remarks>
    async Task<string> ApplyChangesAsync(ListingIndex index, string? since, CancellationToken cancellation, Action<int>? progress = null)
    {
        await using var connection = await db.OpenConnectionAsync(cancellation);
        // Every statement of a REPEATABLE READ transaction sees the snapshot its first statement took.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellation);
        string snapshot;
        await using (var take = new NpgsqlCommand("SELECT pg_current_snapshot()::text", connection, transaction))
            snapshot = (string)(await take.ExecuteScalarAsync(cancellation))!;
        var after = long.MinValue;
        int read;
        do
        {
            // Phase 1: which rows changed (small: no documents). Phase 2: fetch only what the index lacks.
            var changed = new List<string>();
            read = 0;
            await using (var command = new NpgsqlCommand(since is null
                ? "SELECT seq, id, version FROM tt_listing WHERE seq > $1 ORDER BY seq LIMIT $2"
                : """
                  SELECT seq, id, version FROM tt_listing
                  WHERE seq > $1 AND (xid >= pg_snapshot_xmax($3::pg_snapshot)
                                      OR xid = ANY (ARRAY(SELECT pg_snapshot_xip($3::pg_snapshot))))
                  ORDER BY seq LIMIT $2
                  """, connection, transaction))
            {
                command.Parameters.Add(new() { Value = after });
                command.Parameters.Add(new() { Value = Batch });
                if (since is not null) command.Parameters.Add(new() { Value = since });
                await using var reader = await command.ExecuteReaderAsync(cancellation);
                while (await reader.ReadAsync(cancellation))
                {
                    read++;
                    after = reader.GetInt64(0);
                    if (index.IsNewer(reader.GetString(1), reader.GetInt32(2))) changed.Add(reader.GetString(1));
                }
            }
            if (changed.Count > 0)
                await ApplyAsync(connection, transaction, index, changed, cancellation, measureLag: ready.Task.IsCompleted && ReferenceEquals(index, Index));
            progress?.Invoke(index.Count);
        } while (read == Batch);
        await transaction.CommitAsync(cancellation);
        return snapshot; // searchable at the next read of its shard (ListingIndex refreshes on read)
    }

    static async Task ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ListingIndex index, List<string> ids, CancellationToken cancellation, bool measureLag)
    {
        await using var command = new NpgsqlCommand(
            "SELECT id, kind, status, version, doc, extract(epoch from clock_timestamp() - updated_at) * 1000 FROM tt_listing WHERE id = ANY($1)",
            connection, transaction);
        command.Parameters.Add(new() { Value = ids.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var published = new List<ListingDocument>();
        while (await reader.ReadAsync(cancellation))
        {
            // updated_at is the writing host's clock, compared with PostgreSQL's (synchronised clocks assumed). A start-up
            // load or a rebuild reads old rows and is left out.
            if (measureLag) Telemetry.Metrics.IndexLag.Record(reader.GetDouble(5));
            var kind = reader.GetString(1) == "achievement" ? ListingKind.Achievement : ListingKind.Demand;
            if (reader.GetString(2) == "Published")
            {
                using var view = JsonDocument.Parse(reader.GetString(4));
                published.Add(ListingDocument.FromView(kind, view.RootElement));
            }
            else index.Remove(kind, reader.GetString(0), reader.GetInt32(3));
        }
        index.UpsertMany(published);
    }

    /// <summary>Searches that took an index a moment ago finish before it is disposed (and its files deleted).</summary>
    void Retire(ListingIndex old) => _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ =>
    {
        lock (committing) old.Dispose();
        if (old.Path is { } path) Directory.Delete(path, recursive: true);
    }, TaskScheduler.Default);

    const string DatabaseKey = "database", PositionKey = "position";

    /// <summary>
    /// On disk: takes the newest generation of files under IndexPath whose commit this build can read and that was
    /// built from this very database and tt_listing (another cluster, a restored or truncated table starts afresh),
    /// with its feed position; deletes every other generation. Without usable files, starts an empty generation.
    /// </summary>
    async Task LoadFilesAsync(string root, CancellationToken stopping)
    {
        string identity;
        await using (var identify = db.CreateCommand("""
            SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || d.oid::text || '/' || pg_relation_filenode('tt_listing')::text
            FROM pg_database d WHERE d.datname = current_database()
            """))
            identity = (string)(await identify.ExecuteScalarAsync(stopping))!;
        Directory.CreateDirectory(root);
        (ListingIndex Index, string Position)? resumed = null;
        foreach (var generation in Directory.GetDirectories(root).OrderDescending(StringComparer.Ordinal))
        {
            if (resumed is null && OpenOrNull(generation) is { } found)
            {
                if (found.Data.GetValueOrDefault(DatabaseKey) == identity && found.Data.GetValueOrDefault(PositionKey) is { } position)
                {
                    resumed = (found.Index, position);
                    continue;
                }
                found.Index.Dispose();
            }
            Directory.Delete(generation, recursive: true);
        }
        var index = resumed?.Index ?? ListingIndex.Create(NewGeneration(root), layout);
        await gate.WaitAsync(stopping);
        ListingIndex placeholder;
        try
        {
            placeholder = current.Index;
            current = (index, new MatchEngine(index, options));
            applied = resumed?.Position;
        }
        finally
        {
            gate.Release();
        }
        Retire(placeholder);
        database = identity; // loaded: the loop does not come back here, and commits may start
        Resumed = resumed is not null;
        if (Resumed) logger.LogInformation("Search replica resumed from {Path}: {Count} listings; catching up from its feed position", index.Path, index.Count);
    }

    /// <summary>A generation's files, or null when they cannot be read (a crash mid-write, a full disk): it is rebuilt.</summary>
    (ListingIndex Index, IReadOnlyDictionary<string, string> Data)? OpenOrNull(string generation)
    {
        try
        {
            return ListingIndex.Open(generation, layout);
        }
        catch (Exception e) when (e is IOException and not Lucene.Net.Store.LockObtainFailedException)
        {
            logger.LogWarning(e, "Search index files at {Path} cannot be read; starting afresh", generation);
            return null;
        }
    }

    static string NewGeneration(string root) => Path.Combine(root, $"g{DateTime.UtcNow.Ticks:D19}");

    /// <summary>
    /// On disk: commits the index in service with the feed position it has reached, when it changed since the last
    /// commit. The position is read with the index, under the feed's lock: the files then hold at least everything
    /// up to it (later writes too, which the catch-up after a restart applies again, harmlessly).
    /// </summary>
    async Task CommitAsync()
    {
        if (database is null) return;
        ListingIndex index;
        string? position;
        await gate.WaitAsync();
        try
        {
            (index, position) = (current.Index, applied);
        }
        finally
        {
            gate.Release();
        }
        if (index.Path is null || position is null) return;
        await Task.Run(() =>
        {
            lock (committing)
            {
                var writes = index.Writes;
                if (committed is { } last && ReferenceEquals(last.Index, index) && last.Writes == writes) return;
                var started = Stopwatch.GetTimestamp();
                index.Commit(new Dictionary<string, string> { [DatabaseKey] = database, [PositionKey] = position });
                committed = (index, writes);
                logger.LogDebug("Search replica committed in {Ms} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }

    /// <summary>A graceful stop commits, so the next start catches up only what was written while the host was down.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (ready.Task.IsCompleted) await CommitAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (options.IndexPath is { } root && database is null) await LoadFilesAsync(root, stopping);
                await using var connection = await db.OpenConnectionAsync(stopping);
                await using (var listen = new NpgsqlCommand("LISTEN tt_listing", connection)) await listen.ExecuteNonQueryAsync(stopping);
                await CatchUpAsync(stopping);
                Index.Refresh();
                if (ready.TrySetResult())
                {
                    logger.LogInformation("Search replica loaded: {Count} published listings", Index.Count);
                    // Loading a large market leaves hundreds of MB of garbage and free heap behind (merged-away
                    // segments, analysis buffers) that an idle host never collects: one compacting collection that
                    // returns the free space to the OS, once, before the host takes traffic.
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    await CommitAsync();
                }
                var (refreshed, commit) = (Stopwatch.GetTimestamp(), Stopwatch.GetTimestamp());
                while (!stopping.IsCancellationRequested)
                {
                    // Woken by NOTIFY; the timeout also sweeps up anything a lost notification left behind.
                    await connection.WaitAsync(RefreshInterval, stopping);
                    await CatchUpAsync(stopping);
                    // Reads refresh the shard they read; this bounds what a shard nobody reads holds unflushed.
                    if (Stopwatch.GetElapsedTime(refreshed) < RefreshInterval) continue;
                    Index.Refresh();
                    refreshed = Stopwatch.GetTimestamp();
                    if (Stopwatch.GetElapsedTime(commit) < options.IndexCommitInterval) continue;
                    await CommitAsync();
                    commit = Stopwatch.GetTimestamp();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Lucene.Net.Store.LockObtainFailedException e)
            {
                // Two hosts given one IndexPath: each would corrupt the other's files. Stop this host, loudly.
                logger.LogCritical(e, "Search index at {Path} is in use by another process; every host needs its own IndexPath", options.IndexPath);
                throw;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Search replica feed interrupted; reconnecting");
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    int disposed;

    // Registered as a singleton and as a hosted service: the container disposes it twice.
    public override void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        base.Dispose();
        Index.Dispose();
        gate.Dispose();
    }
}

/// <summary>A replica rebuild: running or finished, how far, and how it ended.</summary>
public sealed record RebuildStatus(bool Running, int Indexed, int Total, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error)
{
    public static readonly RebuildStatus None = new(false, 0, 0, null, null, null);
}
