using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Matching;

/// <summary>
/// A replica on disk (MatchingOptions.IndexPath) is resumed from its files and the feed position committed with them:
/// a restarted host searches at once what it held and catches up with what changed while it was down; files built
/// from another database are never taken for this one's.
/// </summary>
public sealed class IndexOnDiskTests
{
    static readonly Actor University = new("acct-disk-university", "org-disk-university", OrganizationKind.University, Role.Member);

    static AchievementContent Content(string title) => new(title, "本成果已完成中试验证，可许可实施。", ["钙钛矿叠层电池"],
        TechField.NewEnergy, 6, [TransferMode.License], 80m, "江苏", [], new("王老师", "025-00000000", null));

    [Fact]
    public async Task A_restarted_replica_resumes_from_its_files_catches_up_what_changed_meanwhile_and_never_takes_another_databases_files()
    {
        await using var database = await TestDatabase.CreateAsync("diskindex");
        await using var other = await TestDatabase.CreateAsync("diskindex2");
        var path = Path.Combine(Path.GetTempPath(), "tt-index-" + Guid.NewGuid().ToString("N"));
        var cluster = await ClusterFixture.StartAsync(database.ConnectionString, Guid.NewGuid().ToString("N"), silos: 1);
        try
        {
            var (a, b, c) = (ListingIds.NewAchievement(), ListingIds.NewAchievement(), ListingIds.NewAchievement());
            foreach (var (id, title) in new[] { (a, "钙钛矿叠层电池封装工艺"), (b, "钙钛矿组件寿命测试方法") })
            {
                await cluster.Client.GetGrain<IAchievementGrain>(id).CreateAsync(University, Content(title));
                await cluster.Client.GetGrain<IAchievementGrain>(id).PublishAsync(University);
            }

            await using (var first = await StartAsync(database.ConnectionString, path))
            {
                Assert.False(first.Replica.Resumed);
                Assert.Equal(Sorted(a, b), Searchable(first.Replica));
            } // a graceful stop commits

            // While the host is down: one listing leaves the market, another joins it.
            await cluster.Client.GetGrain<IAchievementGrain>(a).WithdrawAsync(University);
            await cluster.Client.GetGrain<IAchievementGrain>(c).CreateAsync(University, Content("钙钛矿光伏建筑一体化"));
            await cluster.Client.GetGrain<IAchievementGrain>(c).PublishAsync(University);

            await using (var second = await StartAsync(database.ConnectionString, path))
            {
                Assert.True(second.Replica.Resumed);
                Assert.Equal(Sorted(b, c), Searchable(second.Replica));
                Assert.Equal(2, second.Replica.Index.Count);
                // What it learned back from the files: versions (a replay of an old write is not news) and keywords.
                Assert.False(second.Replica.Index.IsNewer(b, 1));
            }

            // The same directory handed to a host of another database: its files are not this market's.
            await using (var elsewhere = await StartAsync(other.ConnectionString, path))
            {
                Assert.False(elsewhere.Replica.Resumed);
                Assert.Empty(Searchable(elsewhere.Replica));
            }
            Assert.Single(Directory.GetDirectories(path)); // the other generation was deleted

            // Files that cannot be read (a crash mid-write, a full disk) are not fatal: the host starts afresh.
            foreach (var segments in Directory.GetFiles(Directory.GetDirectories(path)[0], "segments_*", SearchOption.AllDirectories))
                await File.WriteAllBytesAsync(segments, [1, 2, 3]);
            await using (var afterCorruption = await StartAsync(other.ConnectionString, path))
                Assert.False(afterCorruption.Replica.Resumed);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
            Directory.Delete(path, recursive: true);
        }
    }

    static List<string> Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

    static List<string> Searchable(IndexReplica replica) =>
        [.. replica.Index.Search("", new SearchFilter(ListingKind.Achievement), 0, 100).Hits.Select(h => h.Document.Id).Order(StringComparer.Ordinal)];

    static async Task<RunningReplica> StartAsync(string connectionString, string path)
    {
        var replica = new IndexReplica(NpgsqlDataSource.Create(connectionString),
            Options.Create(new MatchingOptions { IndexPath = path }), NullLogger<IndexReplica>.Instance);
        await replica.StartAsync(CancellationToken.None);
        await replica.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        await replica.CatchUpAsync();
        return new RunningReplica(replica);
    }

    sealed record RunningReplica(IndexReplica Replica) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Replica.StopAsync(CancellationToken.None);
            Replica.Dispose();
        }
    }
}
