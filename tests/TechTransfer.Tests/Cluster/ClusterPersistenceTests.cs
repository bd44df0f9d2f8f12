using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Listings;
using TechTransfer.Organizations;
using TechTransfer.Problems;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ClusterPersistenceTests(ClusterFixture fixture)
{
    static readonly Actor University = new("acct-test-university", "org-test-university", OrganizationKind.University, Role.Member);
    static readonly Actor Enterprise = new("acct-test-enterprise", "org-test-enterprise", OrganizationKind.Enterprise, Role.Member);

    static AchievementContent Content(string title) => new(title, "用于集群测试的成果简介。", ["集群", "持久化"],
        TechField.ElectronicInformation, 5, [TransferMode.License], 100m, "江苏", [], new("张老师", "025-00000000", null));

    [Fact]
    public async Task A_listing_written_through_one_silo_is_read_through_another()
    {
        var id = ListingIds.NewAchievement();
        await fixture.GrainsOnSilo(0).GetGrain<IAchievementGrain>(id).CreateAsync(University, Content("经由一号筒仓写入"));
        var view = await fixture.GrainsOnSilo(1).GetGrain<IAchievementGrain>(id).GetAsync(University);
        Assert.Equal("经由一号筒仓写入", view!.Title);
    }

    [Fact]
    public async Task State_survives_deactivation_and_is_reloaded_from_postgresql()
    {
        var id = ListingIds.NewAchievement();
        var grain = fixture.Grains.GetGrain<IAchievementGrain>(id);
        await grain.CreateAsync(University, Content("停用后仍在"));
        await grain.PublishAsync(University);
        await fixture.Cluster.DeactivateAsync(grain);  // nothing of it stays in memory
        var view = await grain.GetAsync(viewer: null);
        Assert.Equal("Published", view!.Status);
        Assert.Equal(2, view.Version);
        Assert.Null(view.Contact); // an anonymous reader never gets the contact
    }

    [Fact]
    public async Task A_stale_version_is_refused_by_the_grain_itself()
    {
        var grain = fixture.Grains.GetGrain<IAchievementGrain>(ListingIds.NewAchievement());
        await grain.CreateAsync(University, Content("版本一"));
        await grain.UpdateAsync(University, Content("版本二"), expectedVersion: 1);
        var refused = await Assert.ThrowsAsync<ProblemException>(() => grain.UpdateAsync(University, Content("迟到的版本"), expectedVersion: 1));
        Assert.Equal(ProblemCodes.VersionMismatch, refused.Code);
        var forbidden = await Assert.ThrowsAsync<ProblemException>(() => grain.UpdateAsync(Enterprise, Content("他人"), expectedVersion: 2));
        Assert.Equal(ProblemCodes.Forbidden, forbidden.Code);
    }

    [Fact]
    public async Task State_survives_a_full_cluster_restart()
    {
        await using var database = await TestDatabase.CreateAsync("restart");
        var serviceId = Guid.NewGuid().ToString("N");
        var id = ListingIds.NewAchievement();

        var first = await ClusterFixture.StartAsync(database.ConnectionString, serviceId);
        await first.Client.GetGrain<IOrganizationGrain>("org-restart").RegisterAsync(new("重启测试大学", OrganizationKind.University, "江苏"));
        await first.Client.GetGrain<IAchievementGrain>(id).CreateAsync(University, Content("重启之后依然存在"));
        await first.StopAllSilosAsync();
        await first.DisposeAsync();

        var second = await ClusterFixture.StartAsync(database.ConnectionString, serviceId);
        try
        {
            Assert.Equal("重启之后依然存在", (await second.Client.GetGrain<IAchievementGrain>(id).GetAsync(University))!.Title);
            Assert.Equal("重启测试大学", (await second.Client.GetGrain<IOrganizationGrain>("org-restart").GetAsync())!.Name);
            Assert.Equal(1, await database.CountAsync($"SELECT count(*) FROM tt_listing WHERE id = '{id}'"));
        }
        finally
        {
            await second.StopAllSilosAsync();
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task Grain_types_with_the_same_key_do_not_share_a_row()
    {
        // Orleans ADO.NET keys rows by state name, not grain type: each grain class has its own name.
        const string key = "org-shared-key";
        await fixture.Grains.GetGrain<IOrganizationGrain>(key).RegisterAsync(new("同键组织", OrganizationKind.Enterprise, "广东"));
        await fixture.Grains.GetGrain<IAccountGrain>(key).CreateAsync(
            new AccountProfile("同键账号", key, OrganizationKind.Enterprise, Role.Member), "a-long-password");
        await fixture.Cluster.DeactivateAsync(fixture.Grains.GetGrain<IOrganizationGrain>(key));
        Assert.Equal("同键组织", (await fixture.Grains.GetGrain<IOrganizationGrain>(key).GetAsync())!.Name);
        Assert.NotNull(await fixture.Grains.GetGrain<IAccountGrain>(key).GetActorAsync());
    }
}
