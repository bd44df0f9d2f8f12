using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Problems;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Matching;

/// <summary>
/// A silo dies while listings are being published and indexed. Afterwards every host, survivors and a newly
/// started one, must search and match over exactly the published listings in PostgreSQL, and answer the same.
/// </summary>
public sealed class ReplicaFailoverTests
{
    static readonly Actor University = new("acct-failover-university", "org-failover-university", OrganizationKind.University, Role.Member);

    static readonly string[] Topics = ["锂电池极片缺陷在线检测", "石墨烯导热薄膜制备", "农作物病虫害图像识别", "工业机器人视觉定位", "可降解塑料改性"];

    static AchievementContent Content(int i) => new($"{Topics[i % Topics.Length]}方法（第{i}号）",
        $"本成果涉及{Topics[i % Topics.Length]}，已完成中试验证，可许可实施。", [Topics[i % Topics.Length]],
        TechField.AdvancedManufacturing, 6, [TransferMode.License], 80m, "江苏", [], new("王老师", "025-00000000", null));

    [Fact]
    public async Task After_a_silo_is_killed_while_indexing_every_host_searches_and_matches_the_published_listings()
    {
        await using var database = await TestDatabase.CreateAsync("failover");
        var cluster = await ClusterFixture.StartAsync(database.ConnectionString, Guid.NewGuid().ToString("N"));
        try
        {
            var ids = Enumerable.Range(0, 90).Select(_ => ListingIds.NewAchievement()).ToArray();
            var published = 0;
            var publishing = Parallel.ForEachAsync(Enumerable.Range(0, ids.Length), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, _) =>
            {
                await WithRetry(() => CreateOnce(cluster, ids[i], Content(i)));
                await WithRetry(() => cluster.Client.GetGrain<IAchievementGrain>(ids[i]).PublishAsync(University));
                Interlocked.Increment(ref published);
            });
            while (Volatile.Read(ref published) < ids.Length / 3) await Task.Delay(20);
            await cluster.KillSiloAsync(cluster.SecondarySilos[0]); // mid-stream: grains, replica and feed die with it
            await publishing;
            var replacement = await cluster.StartAdditionalSiloAsync();
            await cluster.WaitForLivenessToStabilizeAsync();

            Assert.Equal(ids.Length, await database.CountAsync("SELECT count(*) FROM tt_listing WHERE status = 'Published'"));
            var demand = new ListingDocument("dem-failover", ListingKind.Demand, "寻求锂电池极片缺陷在线检测技术", "需要在线检测极片缺陷", ["锂电池极片缺陷在线检测"],
                "AdvancedManufacturing", 5, "江苏", "yangtze-delta", 100m, null, [], "org-failover-enterprise", 1, "{}");
            var batteryIds = ids.Where((_, i) => i % Topics.Length == 0).ToHashSet();
            List<int>? firstScores = null;
            Assert.Contains(replacement, cluster.Silos);
            foreach (var silo in cluster.Silos) // the survivor and the newcomer
            {
                var replica = ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<IndexReplica>();
                await replica.Ready;
                await replica.CatchUpAsync();
                var (hits, total, _) = replica.Index.Search("", new SearchFilter(ListingKind.Achievement), 0, 1000);
                Assert.Equal(ids.Length, total);
                Assert.Equal(ids.Order(), hits.Select(h => h.Document.Id).Order());
                // The same answer on every host: the battery listings, with the same scores (equal ones may swap). The
                // threshold is not the point here: eighteen clones of one topic make each other's words common.
                var answer = replica.Engine.FindMatches(demand, applyThreshold: false);
                Assert.Equal(10, answer.Count);
                Assert.All(answer, m => Assert.Contains(m.AchievementId, batteryIds));
                var scores = answer.Select(m => m.Score).ToList();
                Assert.Equal(firstScores ?? scores, scores);
                firstScores = scores;
            }
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>A create whose reply was lost with the silo may have happened: finding it there is success.</summary>
    static async Task CreateOnce(TestCluster cluster, string id, AchievementContent content)
    {
        try
        {
            await cluster.Client.GetGrain<IAchievementGrain>(id).CreateAsync(University, content);
        }
        catch (ProblemException e) when (e.Code == ProblemCodes.AlreadyExists)
        {
        }
    }

    /// <summary>What any client does when the silo it talked to dies: try again, the grain is re-activated elsewhere.</summary>
    static async Task WithRetry(Func<Task> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception e) when (e is not ProblemException && attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }
}
