using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Accounts;
using TechTransfer.Auctions;
using TechTransfer.Security;
using TechTransfer.Tenders;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Trades;

/// <summary>
/// A far end is reached in hops: the end reminder of an auction or a tender is armed at most
/// TechTransfer:Auctions:ReminderHorizon ahead (30 days in production, under Orleans' ~49.7-day limit; 2 s here),
/// fires early, is armed again, and the end still happens at the end. After the first hop every activation is
/// collected and the auction is only watched in the database, so the reminder alone brings it to its end.
/// </summary>
public sealed class TradeEndHorizonTests
{
    [Fact]
    public async Task An_end_beyond_the_reminder_horizon_is_reached_by_rearming_the_reminder_and_the_trade_ends_on_time()
    {
        await using var database = await TestDatabase.CreateAsync("trade_horizon");
        await using var host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, new Dictionary<string, string>
        {
            ["TechTransfer:Auctions:SoftCloseWindow"] = "00:00:01",
            ["TechTransfer:Auctions:SoftCloseExtension"] = "00:00:01",
            ["TechTransfer:Auctions:ReminderPeriod"] = "00:00:01",
            ["TechTransfer:Auctions:ReminderHorizon"] = "00:00:02",
        });
        host.StartServer();
        await host.WaitUntilSeededAsync();
        var national = await host.SignedInAsync("demo-national");
        (await national.PostAsJsonAsync("/api/organizations/org-demo-enterprise-1/verification", new { verified = true })).EnsureSuccessStatusCode();

        var seller = await host.SignedInAsync("demo-university");
        var achievement = await seller.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{Samples.UniqueWord()} 远期拍卖成果"));
        var endsAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(12).ToUnixTimeMilliseconds());
        var created = await seller.PostAsJsonAsync("/api/auctions", new { achievementId = achievement, endsAt, startingPrice = 100m, minIncrement = 1m });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var auction = (await created.BodyAsync()).GetProperty("id").GetString()!;
        var buyer = host.CreateClient();
        buyer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.Services.GetRequiredService<TokenIssuer>()
            .Issue(new Actor("acct-horizon-buyer", "org-demo-enterprise-1", OrganizationKind.Enterprise, Role.Member), "acct-horizon-buyer",
                await host.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>("acct-horizon-buyer").GetTokenVersionAsync()));
        var bid = await buyer.PostAsJsonAsync($"/api/auctions/{auction}/bids", new { clientBidId = "h-1", amount = 120m });
        Assert.True(bid.StatusCode == HttpStatusCode.OK, await bid.Content.ReadAsStringAsync());

        var enterprise = await host.SignedInAsync("demo-enterprise");
        var demand = await enterprise.CreatePublishedAsync("/api/demands", Samples.Demand());
        var deadline = DateTimeOffset.UtcNow.AddSeconds(12);
        var tenderCreated = await enterprise.PostAsJsonAsync("/api/tenders", new { demandId = demand, deadline, criteria = "综合评分" });
        Assert.True(tenderCreated.StatusCode == HttpStatusCode.Created, await tenderCreated.Content.ReadAsStringAsync());
        var tender = (await tenderCreated.BodyAsync()).GetProperty("id").GetString()!;

        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var reminders = host.Services.GetRequiredService<IReminderTable>();
        var auctionId = grains.GetGrain<IAuctionGrain>(auction).GetGrainId();
        var tenderId = grains.GetGrain<ITenderGrain>(tender).GetGrainId();

        // Armed at the horizon, not at the end.
        var firstEnd = (await reminders.ReadRow(auctionId, "end"))!.StartAt;
        var firstOpen = (await reminders.ReadRow(tenderId, "open"))!.StartAt;
        Assert.True(firstEnd < endsAt.UtcDateTime.AddSeconds(-6), $"the end reminder is first due at {firstEnd:O}, the auction ends at {endsAt:O}");
        Assert.True(firstOpen < deadline.UtcDateTime.AddSeconds(-6), $"the open reminder is first due at {firstOpen:O}, the deadline is {deadline:O}");

        // It fires early and is armed again, each time closer to the end.
        await Eventually.TrueAsync(async () => (await reminders.ReadRow(auctionId, "end"))!.StartAt > firstEnd, "the end reminder re-armed", seconds: 6);
        await Eventually.TrueAsync(async () => (await reminders.ReadRow(tenderId, "open"))!.StartAt > firstOpen, "the open reminder re-armed", seconds: 6);
        Assert.True(DateTimeOffset.UtcNow < endsAt, "re-armed before the end");

        // From here nothing but the reminder calls either trade: no activation is left, and they are watched in the database only.
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await Eventually.TrueAsync(async () => await database.CountAsync($"SELECT count(*) FROM tt_trade WHERE id = '{auction}' AND status = 'Sold'") == 1,
            "the auction sold at its end", seconds: 30);
        await Eventually.TrueAsync(async () => await database.CountAsync($"SELECT count(*) FROM tt_trade WHERE id = '{tender}' AND status = 'Opened'") == 1,
            "the tender opened at its deadline", seconds: 30);

        var sold = await (await buyer.GetAsync($"/api/auctions/{auction}")).BodyAsync();
        Assert.Equal(("Sold", 120m, endsAt), (sold.GetProperty("status").GetString(), sold.GetProperty("winningAmount").GetDecimal(),
            sold.GetProperty("endedAt").GetDateTimeOffset()));
        Assert.Equal(HttpStatusCode.OK, (await buyer.GetAsync($"/api/deals/{auction}")).StatusCode);
        var opened = await (await enterprise.GetAsync($"/api/tenders/{tender}")).BodyAsync();
        Assert.Equal("Opened", opened.GetProperty("status").GetString());
        Assert.True(DateTimeOffset.UtcNow >= deadline);
    }
}
