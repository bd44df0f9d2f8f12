using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Auctions;
using TechTransfer.Deals;
using TechTransfer.Listings;
using TechTransfer.Organizations;
using TechTransfer.Problems;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Auctions;

/// <summary>
/// The silo hosting two auctions is killed mid-auction on a two-silo cluster (PostgreSQL membership, storage,
/// reminders). One keeps receiving bids: it comes back on the other silo with its log and ends correctly. The other
/// gets no call after the kill: only its reminder can end it, and it does, on time.
/// </summary>
public sealed class AuctionFailoverTests
{
    static readonly Actor Seller = new("acct-fo-seller", "org-fo-university", OrganizationKind.University, Role.Member);
    static readonly Actor National = new("acct-fo-national", "org-torch", OrganizationKind.National, Role.NationalAdmin);

    static Actor Bidder(int i) => new($"acct-fo-bidder-{i}", $"org-fo-enterprise-{i % 3}", OrganizationKind.Enterprise, Role.Member);

    [Fact]
    public async Task Killing_the_silo_that_hosts_an_auction_loses_no_bid_and_both_auctions_still_end_on_time()
    {
        await using var database = await TestDatabase.CreateAsync("auction_failover");
        var cluster = await ClusterFixture.StartAsync(database.ConnectionString, Guid.NewGuid().ToString("N"), settings: new Dictionary<string, string>
        {
            ["TechTransfer:Auctions:SoftCloseWindow"] = "00:00:01",
            ["TechTransfer:Auctions:SoftCloseExtension"] = "00:00:01",
            ["TechTransfer:Auctions:ReminderPeriod"] = "00:00:01",
        });
        try
        {
            var grains = cluster.Client;
            await grains.GetGrain<IOrganizationGrain>(Seller.OrganizationId).RegisterAsync(new("故障转移大学", OrganizationKind.University, "江苏"));
            for (var i = 0; i < 3; i++)
            {
                var enterprise = grains.GetGrain<IOrganizationGrain>($"org-fo-enterprise-{i}");
                await enterprise.RegisterAsync(new($"故障转移企业 {i}", OrganizationKind.Enterprise, "广东"));
                await enterprise.SetVerifiedAsync(true);
            }

            var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()); // auctions keep whole milliseconds
            var busy = await AuctionAsync(grains, "auc-fo-busy-" + Guid.NewGuid().ToString("N")[..8], now.AddSeconds(25));
            var quiet = await AuctionAsync(grains, "auc-fo-quiet-" + Guid.NewGuid().ToString("N")[..8], now.AddSeconds(12));
            var victim = cluster.SecondarySilos[0];
            var management = grains.GetGrain<IManagementGrain>(0);
            foreach (var auction in new[] { busy, quiet })
                if (!victim.SiloAddress.Equals(await management.GetActivationAddress(auction)))
                    await cluster.MigrateAsync(auction, victim.SiloAddress).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(victim.SiloAddress, await management.GetActivationAddress(busy));
            Assert.Equal(victim.SiloAddress, await management.GetActivationAddress(quiet));

            await quiet.BidAsync(Bidder(7), "q-1", 160m); // its last call: after the kill nobody asks it anything
            for (var n = 1; n <= 5; n++) await busy.BidAsync(Bidder(n), $"b-{n}", 100m + n * 10);
            await cluster.KillSiloAsync(victim);
            // A bid whose answer was lost with the silo is simply sent again: the client bid id makes it count once.
            for (var n = 5; n <= 12; n++) await ClusterFixture.WithRetry(() => busy.BidAsync(Bidder(n), $"b-{n}", 100m + n * 10));

            // The quiet auction: read only from the database, so nothing but its reminder can have ended it.
            await Eventually.TrueAsync(async () => await database.CountAsync($"SELECT count(*) FROM tt_trade WHERE id = '{quiet.GetPrimaryKeyString()}' AND status = 'Sold'") == 1,
                "the quiet auction sold by its reminder", seconds: 60);
            var quietView = await ClusterFixture.WithRetry(() => quiet.GetAsync(National));
            Assert.Equal(("Sold", 160m, now.AddSeconds(12)), (quietView!.Status, quietView.WinningAmount, quietView.EndedAt!.Value));

            AuctionView? busyView = null;
            await Eventually.TrueAsync(async () => (busyView = await ClusterFixture.WithRetry(() => busy.GetAsync(National)))!.Status == "Sold",
                "the busy auction sold", seconds: 60);
            Assert.Equal(12, busyView!.Bids.Length);
            Assert.Equal(Enumerable.Range(1, 12), busyView.Bids.Select(b => b.Sequence));
            Assert.Equal(Enumerable.Range(1, 12).Select(n => 100m + n * 10), busyView.Bids.Select(b => b.Amount));
            Assert.Equal((220m, "org-fo-enterprise-0"), (busyView.WinningAmount, busyView.WinnerOrganizationId));
            Assert.Equal(now.AddSeconds(25), busyView.EndedAt);
            Assert.Equal(12, await database.CountAsync($"SELECT count(*) FROM tt_auction_bid WHERE auction_id = '{busy.GetPrimaryKeyString()}'"));
            var deal = await ClusterFixture.WithRetry(() => grains.GetGrain<IDealGrain>(busy.GetPrimaryKeyString()).GetAsync(National));
            Assert.Equal("Lead", deal!.Stage);
            await Assert.ThrowsAsync<ProblemException>(() => busy.BidAsync(Bidder(13), "b-13", 1000m)); // over: refused
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    static async Task<IAuctionGrain> AuctionAsync(IGrainFactory grains, string id, DateTimeOffset endsAt)
    {
        var achievementId = ListingIds.NewAchievement();
        var achievement = grains.GetGrain<IAchievementGrain>(achievementId);
        await achievement.CreateAsync(Seller, new AchievementContent("故障转移拍卖用成果", "用于故障转移测试的成果简介。", ["拍卖", "故障转移"],
            TechField.NewEnergy, 6, [TransferMode.Assignment], 100m, "江苏", [], new("张老师", "025-00000000", null)));
        await achievement.PublishAsync(Seller);
        var auction = grains.GetGrain<IAuctionGrain>(id);
        await auction.CreateAsync(Seller, new AuctionTerms(achievementId, DateTimeOffset.UtcNow, endsAt, 100m, 150m, 5m, false));
        return auction;
    }
}
