using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Demands;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Notifications;
using TechTransfer.Problems;
using TechTransfer.Storage;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Listings;

/// <summary>
/// Issue 19 item 5 on a two-silo cluster (real PostgreSQL storage, reminders and projection) whose clock a test moves
/// ahead: the owner's notice 14 days before the expiry, the expiry itself taking the listing out of search and matching
/// on every silo, the owner still seeing it, and one renewal. The lifecycle reminder is armed 1 s ahead at most here
/// (30 days in production), so a year is crossed in hops as in production.
/// </summary>
public sealed class ListingLifecycleClusterTests
{
    static readonly Actor Owner = new("acct-life-owner", "org-life-university", OrganizationKind.University, Role.Member);
    static readonly Actor Stranger = new("acct-life-other", "org-life-other", OrganizationKind.University, Role.Member);
    static readonly Actor Enterprise = new("acct-life-enterprise", "org-life-enterprise", OrganizationKind.Enterprise, Role.Member);

    [Fact]
    public async Task A_listing_is_reminded_14_days_before_expires_on_every_silo_stays_with_its_owner_and_is_renewed_once()
    {
        await using var database = await TestDatabase.CreateAsync("lifecycle");
        var clock = ShiftedClock.Shared;
        clock.Ahead = TimeSpan.Zero;
        var cluster = await ClusterFixture.StartAsync(database.ConnectionString, Guid.NewGuid().ToString("N"), settings: new Dictionary<string, string>
        {
            ["TechTransfer:Listings:ReminderHorizon"] = "00:00:01",
            ["TechTransfer:Listings:CheckPeriod"] = "00:00:01",
        }, configure: b => b.AddSiloBuilderConfigurator<ShiftedClock.SiloConfig>());
        try
        {
            var word = "钒液流储能" + Guid.NewGuid().ToString("N")[..6];
            var id = ListingIds.NewAchievement();
            var achievement = cluster.Client.GetGrain<IAchievementGrain>(id);
            await achievement.CreateAsync(Owner, new AchievementContent($"{word}电堆密封结构", $"本成果为{word}电堆的新型密封结构，已完成中试。", [word],
                TechField.NewEnergy, 6, [TransferMode.License], 90m, "江苏", [], new("李老师", "025-11111111", null)));
            var published = await achievement.PublishAsync(Owner);
            var expiresAt = published.PublishedAt!.Value.AddDays(365);
            Assert.Equal((expiresAt, false), (published.ExpiresAt, published.Renewed));
            var need = new ListingDocument("dem-life-need", ListingKind.Demand, $"寻求{word}电堆密封技术", $"需要{word}电堆密封方案", [word],
                "NewEnergy", 5, "江苏", "yangtze-delta", 100m, null, [], Enterprise.OrganizationId, 1, "{}");
            await OnEverySiloAsync(cluster, id, word, need, present: true);

            // 352 days on: within 14 days of the expiry, the owner's organization is told, once, with the date.
            clock.Ahead = TimeSpan.FromDays(352);
            var inbox = cluster.Client.GetGrain<IInboxGrain>(Inboxes.Organization(Owner.OrganizationId));
            ListingExpiring[] notices = [];
            await Eventually.TrueAsync(async () => (notices = await ExpiringAsync(inbox)).Length > 0, "the expiry notice", seconds: 20);
            Assert.Equal((id, "Achievement", expiresAt, true), (notices[0].ListingId, notices[0].Kind, notices[0].ExpiresAt, notices[0].Renewable));
            Assert.Equal("Published", (await achievement.GetAsync(Stranger))!.Status);
            await Task.Delay(2500); // more reminder ticks: still one notice
            Assert.Single(await ExpiringAsync(inbox));

            // A day past the expiry: off the market on every silo; the owner still sees it, nobody else does.
            clock.Ahead = TimeSpan.FromDays(366);
            await Eventually.TrueAsync(async () => await database.CountAsync($"SELECT count(*) FROM tt_listing WHERE id = '{id}' AND status = 'Expired'") == 1,
                "the listing expired", seconds: 20);
            await OnEverySiloAsync(cluster, id, word, need, present: false);
            var mine = (await achievement.GetAsync(Owner))!;
            Assert.Equal(("Expired", expiresAt, false), (mine.Status, mine.ExpiresAt, mine.Renewed));
            Assert.Null(await achievement.GetAsync(Stranger));
            Assert.Null(await achievement.GetAsync(null));
            Assert.Equal(ProblemCodes.InvalidTransition, (await Assert.ThrowsAsync<ProblemException>(() => achievement.PublishAsync(Owner))).Code);
            Assert.Equal(ProblemCodes.InvalidTransition,
                (await Assert.ThrowsAsync<ProblemException>(() => achievement.OpenTradeAsync(Owner, "fpl-life-1"))).Code);

            // Renewed once, by its owner only: a new year from now, back on the market everywhere; not a second time.
            Assert.Equal(ProblemCodes.Forbidden, (await Assert.ThrowsAsync<ProblemException>(() => achievement.RenewAsync(Stranger))).Code);
            var before = clock.GetUtcNow();
            var renewed = await achievement.RenewAsync(Owner);
            Assert.Equal(("Published", true), (renewed.Status, renewed.Renewed));
            Assert.InRange(renewed.ExpiresAt!.Value, before.AddDays(365), clock.GetUtcNow().AddDays(365));
            await OnEverySiloAsync(cluster, id, word, need, present: true);
            Assert.Equal(ProblemCodes.AlreadyRenewed, (await Assert.ThrowsAsync<ProblemException>(() => achievement.RenewAsync(Owner))).Code);
            Assert.Equal(ProblemCodes.AlreadyRenewed, (await Assert.ThrowsAsync<ProblemException>(() => achievement.RenewAsync(Owner))).Code);
            Assert.NotNull(await achievement.GetAsync(Stranger));
        }
        finally
        {
            clock.Ahead = TimeSpan.Zero;
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_demand_ends_at_its_deadline_cannot_be_renewed_past_it_and_is_archived_two_years_later()
    {
        await using var database = await TestDatabase.CreateAsync("lifecycle_demand");
        var clock = ShiftedClock.Shared;
        var cluster = await ClusterFixture.StartAsync(database.ConnectionString, Guid.NewGuid().ToString("N"), silos: 1, settings: new Dictionary<string, string>
        {
            ["TechTransfer:Listings:ReminderHorizon"] = "00:00:01",
            ["TechTransfer:Listings:CheckPeriod"] = "00:00:01",
        }, configure: b => b.AddSiloBuilderConfigurator<ShiftedClock.SiloConfig>());
        try
        {
            var deadline = ChinaTime.Today(clock).AddDays(40);
            var id = ListingIds.NewDemand();
            var demand = cluster.Client.GetGrain<IDemandGrain>(id);
            var content = new DemandContent("寻求高效换热器设计", "需要紧凑高效的板式换热器设计方案。", ["换热器"], TechField.AdvancedManufacturing,
                5, 10m, 50m, "江苏", deadline, new("赵经理", "025-22222222", null));
            await demand.CreateAsync(Enterprise, content);
            var published = await demand.PublishAsync(Enterprise);
            var endOfDeadline = new DateTimeOffset(deadline.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
            Assert.Equal(endOfDeadline, published.ExpiresAt); // sooner than a year

            // 14 days before the end of the deadline day, the owner is told; the day after it, the demand is off the market.
            clock.Ahead = TimeSpan.FromDays(30);
            var inbox = cluster.Client.GetGrain<IInboxGrain>(Inboxes.Organization(Enterprise.OrganizationId));
            await Eventually.TrueAsync(async () => (await ExpiringAsync(inbox)).Length > 0, "the deadline notice", seconds: 20);
            Assert.Equal(endOfDeadline, Assert.Single(await ExpiringAsync(inbox)).ExpiresAt);
            clock.Ahead = TimeSpan.FromDays(42);
            await Eventually.TrueAsync(async () => await database.CountAsync($"SELECT count(*) FROM tt_listing WHERE id = '{id}' AND status = 'Expired'") == 1,
                "the demand ended at its deadline", seconds: 20);
            Assert.Equal("Expired", (await demand.GetAsync(Enterprise))!.Status);
            Assert.Null(await demand.GetAsync(Owner));
            Assert.Equal(ProblemCodes.NotRenewable, (await Assert.ThrowsAsync<ProblemException>(() => demand.RenewAsync(Enterprise))).Code);

            // Two years after it ended (armed for that at the expiry, reached in hops): archived, read-only, still its owner's.
            clock.Ahead = TimeSpan.FromDays(769); // it ended about 40½ days from the start
            await Task.Delay(2500);
            Assert.Equal("Expired", (await demand.GetAsync(Enterprise))!.Status); // a day short
            clock.Ahead = TimeSpan.FromDays(772);
            await Eventually.TrueAsync(async () => await database.CountAsync($"SELECT count(*) FROM tt_listing WHERE id = '{id}' AND status = 'Archived'") == 1,
                "the demand archived", seconds: 20);
            var archived = (await demand.GetAsync(Enterprise))!;
            Assert.Equal(("Archived", endOfDeadline), (archived.Status, archived.ExpiresAt));
            Assert.Null(await demand.GetAsync(Owner));
            Assert.Equal(ProblemCodes.NotRenewable, (await Assert.ThrowsAsync<ProblemException>(() => demand.RenewAsync(Enterprise))).Code);
            Assert.Equal(ProblemCodes.InvalidTransition, (await Assert.ThrowsAsync<ProblemException>(() => demand.PublishAsync(Enterprise))).Code);
            Assert.Equal(ProblemCodes.InvalidTransition, (await Assert.ThrowsAsync<ProblemException>(() => demand.CloseAsync(Enterprise))).Code);
            Assert.Equal(ProblemCodes.InvalidTransition,
                (await Assert.ThrowsAsync<ProblemException>(() => demand.UpdateAsync(Enterprise, content, archived.Version))).Code);
        }
        finally
        {
            clock.Ahead = TimeSpan.Zero;
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    static async Task<ListingExpiring[]> ExpiringAsync(IInboxGrain inbox) =>
        [.. (await inbox.ReadAfterAsync(0, 100)).Where(n => n.Type == nameof(ListingExpiring))
            .Select(n => JsonSerializer.Deserialize<ListingExpiring>(n.Payload, TechTransferJson.Options)!)];

    /// <summary>Search and matching on each silo's own replica, once it has caught up with tt_listing.</summary>
    static async Task OnEverySiloAsync(TestCluster cluster, string id, string word, ListingDocument need, bool present)
    {
        foreach (var silo in cluster.Silos)
        {
            var replica = ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<IndexReplica>();
            await replica.Ready;
            await replica.CatchUpAsync();
            var (hits, _, _) = replica.Index.Search(word, new SearchFilter(ListingKind.Achievement), 0, 10);
            var matched = replica.Engine.FindMatches(need, applyThreshold: false).Select(m => m.AchievementId);
            Assert.Equal((present, present), (hits.Any(h => h.Document.Id == id), matched.Contains(id)));
        }
    }
}
