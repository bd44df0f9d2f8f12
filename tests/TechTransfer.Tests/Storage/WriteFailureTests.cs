using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;
using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Deals;
using TechTransfer.FixedPriceListings;
using TechTransfer.Demands;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Tenders;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Storage;

/// <summary>
/// The one write rule (GrainWrites): a grain writes its state, then what derives from it. PostgreSQL itself refuses
/// one of the two writes here (a trigger that raises, dropped afterwards), and the retry that follows must find the
/// stored truth, with every derived row repaired, and never an acknowledgement of something that was not stored.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WriteFailureTests(ClusterFixture fixture)
{
    static readonly Actor University = new("acct-wf-university", "org-wf-university", OrganizationKind.University, Role.Member);
    static readonly Actor Enterprise = new("acct-wf-enterprise", "org-wf-enterprise", OrganizationKind.Enterprise, Role.Member);
    static readonly Actor Broker = new("acct-wf-broker", "org-center-yangtze-delta", OrganizationKind.ServiceCenter, Role.Broker, "yangtze-delta");

    [Fact]
    public async Task A_publish_whose_projection_write_failed_is_repaired_by_its_retry_in_lists_and_search()
    {
        var id = ListingIds.NewAchievement();
        var grain = fixture.Grains.GetGrain<IAchievementGrain>(id);
        await grain.CreateAsync(University, new("投影写入失败后修复的成果", "本成果用于验证投影修复。", ["投影修复"],
            TechField.ElectronicInformation, 5, [TransferMode.License], 100m, "江苏", [], new("张老师", "025-00000000", null)));

        await using (await RefuseAsync("tt_listing", $"NEW.id = '{id}' AND NEW.status = 'Published'"))
            await Assert.ThrowsAnyAsync<Exception>(() => grain.PublishAsync(University));
        Assert.Equal("Published", (await grain.GetAsync(University))!.Status); // the state was stored before the failure

        await grain.PublishAsync(University); // the client's retry
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM tt_listing WHERE id = '{id}' AND status = 'Published' AND version = 2"));
        foreach (var silo in fixture.Cluster.Silos)
        {
            var replica = ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<IndexReplica>();
            await replica.CatchUpAsync();
            Assert.False(replica.Index.IsNewer(id, 2)); // indexed at the published version
            var (hits, _, _) = replica.Index.Search("投影修复", new SearchFilter(ListingKind.Achievement), 0, 10);
            Assert.Contains(hits, h => h.Document.Id == id);
        }
    }

    [Fact]
    public async Task A_claim_whose_write_failed_is_not_held_against_the_claimants_retry()
    {
        // The state write fails: the claim must leave memory with it.
        var deal = await LeadAsync();
        await using (await RefuseAsync("orleansstorage", "NEW.graintypestring = 'deal'"))
            await Assert.ThrowsAnyAsync<Exception>(() => deal.ClaimAsync(Broker, null));
        var view = await deal.ClaimAsync(Broker, null);
        Assert.Equal((Broker.AccountId, "Introduced"), (view.ClaimedBy, view.Stage));

        // The state is stored and tt_deal refuses: the claim stands (one claim wins, so a repeat is 409) and the next
        // activation repairs tt_deal, where the center's queue reads it.
        deal = await LeadAsync();
        var id = deal.GetPrimaryKeyString();
        await using (await RefuseAsync("tt_deal", $"NEW.id = '{id}' AND NEW.claimed_by IS NOT NULL"))
            await Assert.ThrowsAnyAsync<Exception>(() => deal.ClaimAsync(Broker, null));
        view = (await deal.GetAsync(Broker))!;
        Assert.Equal((Broker.AccountId, "Introduced"), (view.ClaimedBy, view.Stage));
        Assert.Equal(1, await fixture.Database.CountAsync(
            $"SELECT count(*) FROM tt_deal WHERE id = '{id}' AND claimed_by = '{Broker.AccountId}' AND stage = 'Introduced'"));
    }

    [Fact]
    public async Task A_sealed_bid_whose_write_failed_gets_no_receipt_until_it_is_stored()
    {
        var demandId = ListingIds.NewDemand();
        var demand = fixture.Grains.GetGrain<IDemandGrain>(demandId);
        await demand.CreateAsync(Enterprise, new DemandContent("寻求写入失败测试的技术", "需求描述。", ["写入失败"], TechField.ElectronicInformation, 4,
            null, 100m, "江苏", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(60)), new("李经理", "021-00000000", null)));
        await demand.PublishAsync(Enterprise);
        var tender = fixture.Grains.GetGrain<ITenderGrain>("tnd-" + Guid.NewGuid().ToString("N"));
        await tender.CreateAsync(Enterprise, new TenderTerms(demandId, DateTimeOffset.UtcNow.AddDays(1), "价格与方案"));
        var bid = new SealedBid(80m, "两个月内完成样机。", 60, []);

        await using (await RefuseAsync("orleansstorage", "NEW.graintypestring = 'tender'"))
            await Assert.ThrowsAnyAsync<Exception>(() => tender.SubmitAsync(University, "wf-bid-1", bid));
        var receipt = await tender.SubmitAsync(University, "wf-bid-1", bid); // the retry stores it

        await fixture.Cluster.DeactivateAsync(tender); // what the receipt promised must be in storage
        var view = await tender.GetAsync(University);
        Assert.Equal(1, view!.BidCount);
        Assert.Equal(receipt, view.MyReceipt);
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT bids FROM tt_trade WHERE id = '{tender.GetPrimaryKeyString()}'"));
    }

    [Fact]
    public async Task A_fixed_price_listing_whose_hall_write_failed_is_listed_by_its_next_activation()
    {
        // The state is stored and tt_trade refuses: the call fails, the activation is dropped, and the next one
        // writes the hall row (before the write rule the trade stayed open, and out of 交易大厅, for good).
        var achievementId = ListingIds.NewAchievement();
        var achievement = fixture.Grains.GetGrain<IAchievementGrain>(achievementId);
        await achievement.CreateAsync(University, new("挂牌大厅写入失败后修复的成果", "本成果用于验证交易大厅的修复。", ["大厅修复"],
            TechField.ElectronicInformation, 6, [TransferMode.Assignment], 100m, "江苏", [], new("张老师", "025-00000000", null)));
        await achievement.PublishAsync(University);
        var id = "fpl-" + Guid.NewGuid().ToString("N");
        var offer = fixture.Grains.GetGrain<IFixedPriceListingGrain>(id);
        var now = DateTimeOffset.UtcNow;

        await using (await RefuseAsync("tt_trade", $"NEW.id = '{id}'"))
            await Assert.ThrowsAnyAsync<Exception>(() => offer.CreateAsync(University, new FixedPriceTerms(achievementId, 120m, now, now.AddDays(7))));
        Assert.Equal(0, await fixture.Database.CountAsync($"SELECT count(*) FROM tt_trade WHERE id = '{id}'"));

        var view = await offer.GetAsync(University); // the next call activates it again
        Assert.Equal("Open", view!.Status);
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM tt_trade WHERE id = '{id}' AND status = 'Open'"));
    }

    async Task<IDealGrain> LeadAsync()
    {
        var deal = fixture.Grains.GetGrain<IDealGrain>("fpl-" + Guid.NewGuid().ToString("N"));
        await deal.OpenFromTradeAsync(new DealFacts("", "", 0, "写入失败测试成果", "", University.OrganizationId, Enterprise.OrganizationId,
            "yangtze-delta", "yangtze-delta", "ElectronicInformation"));
        return deal;
    }

    /// <summary>Makes PostgreSQL refuse the writes of <paramref name="table"/> that match <paramref name="when"/> until disposed.</summary>
    async Task<IAsyncDisposable> RefuseAsync(string table, string when)
    {
        var name = "tt_test_refuse_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
            CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {name}();
            """);
        return new Lift(() => ExecuteAsync($"DROP TRIGGER {name} ON {table}; DROP FUNCTION {name}();"));
    }

    async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    sealed class Lift(Func<Task> lift) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await lift();
    }
}
