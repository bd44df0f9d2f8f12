using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Trades;

/// <summary>
/// An achievement is in at most one open trade (挂牌 or 拍卖), decided by its grain, and a withdrawn achievement is
/// sold by none: two listings of one achievement were both accepted, and one was accepted after the withdrawal with
/// the seller's contact in the deal (issue 17 item 4).
/// </summary>
[Collection(TradingCollection.Name)]
public sealed class OneOpenTradePerAchievementTests(TradingFixture trading)
{
    const string Seller = "demo-university";

    static Task<HttpResponseMessage> OfferAsync(HttpClient seller, string achievement, TimeSpan endsIn) =>
        seller.PostAsJsonAsync("/api/fixed-price-listings", new { achievementId = achievement, price = 66m, endsAt = DateTimeOffset.UtcNow + endsIn });

    static Task<HttpResponseMessage> AuctionAsync(HttpClient seller, string achievement) =>
        seller.PostAsJsonAsync("/api/auctions", new { achievementId = achievement, endsAt = DateTimeOffset.UtcNow.AddDays(7), startingPrice = 100m, minIncrement = 1m });

    static async Task<string> IdAsync(HttpResponseMessage created)
    {
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.BodyAsync()).GetProperty("id").GetString()!;
    }

    /// <summary>The 409 names the open trade, in Chinese and English.</summary>
    static async Task AssertInTradeAsync(HttpResponseMessage response, string openTrade)
    {
        var body = await response.Content.ReadAsStringAsync();
        await response.AssertProblemAsync(HttpStatusCode.Conflict, "achievement-in-trade");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Contains(openTrade, problem.GetProperty("detail").GetString());
        Assert.Contains(openTrade, problem.GetProperty("detailZh").GetString());
    }

    [Fact]
    public async Task A_second_listing_or_an_auction_of_an_achievement_in_an_open_trade_is_refused_and_allowed_once_that_trade_ended()
    {
        var seller = await trading.SignedInAsync(Seller);
        var achievement = await TradingFixture.AchievementAsync(seller);
        var first = await IdAsync(await OfferAsync(seller, achievement, TimeSpan.FromSeconds(3)));
        await AssertInTradeAsync(await OfferAsync(seller, achievement, TimeSpan.FromDays(30)), first);
        await AssertInTradeAsync(await AuctionAsync(seller, achievement), first);

        // The first offer runs out: the achievement may go to market again, and once more only once.
        await TradingFixture.UntilAsync(seller, $"/api/fixed-price-listings/{first}", o => o.GetProperty("status").GetString() == "Expired", 10);
        var auction = await IdAsync(await AuctionAsync(seller, achievement));
        await AssertInTradeAsync(await OfferAsync(seller, achievement, TimeSpan.FromDays(30)), auction);
    }

    [Fact]
    public async Task Of_concurrent_creations_for_one_achievement_exactly_one_wins()
    {
        var seller = await trading.SignedInAsync(Seller);
        var achievement = await TradingFixture.AchievementAsync(seller);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 12).Select(async i =>
        {
            await go.Task;
            return i % 2 == 0 ? await OfferAsync(seller, achievement, TimeSpan.FromDays(30)) : await AuctionAsync(seller, achievement);
        }).ToArray();
        go.SetResult();
        var responses = await Task.WhenAll(calls);

        var winner = await IdAsync(Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created));
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.Created)) await AssertInTradeAsync(loser, winner);
        var hall = await seller.GetFromJsonAsync<JsonElement>("/api/trades");
        Assert.Equal([winner], hall.EnumerateArray().Where(r => r.GetProperty("listingId").GetString() == achievement)
            .Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Withdrawing_the_achievement_ends_its_open_trade_and_no_acceptance_or_bid_gets_through_or_reveals_the_contact()
    {
        var seller = await trading.SignedInAsync(Seller);
        var buyer = trading.As("acct-one-trade-buyer", "org-demo-enterprise-2");

        // 挂牌: withdrawn, then accepted → closed, no deal.
        var listed = await TradingFixture.AchievementAsync(seller);
        var offer = await IdAsync(await OfferAsync(seller, listed, TimeSpan.FromDays(30)));
        Assert.Equal(HttpStatusCode.OK, (await seller.PostAsync($"/api/achievements/{listed}/withdraw", null)).StatusCode);
        Assert.Equal("Withdrawn", (await seller.GetFromJsonAsync<JsonElement>($"/api/fixed-price-listings/{offer}")).GetProperty("status").GetString());
        await (await buyer.PostAsync($"/api/fixed-price-listings/{offer}/accept", null)).AssertProblemAsync(HttpStatusCode.Conflict, "trade-closed");
        Assert.Equal(HttpStatusCode.NotFound, (await buyer.GetAsync($"/api/deals/{offer}")).StatusCode);

        // 拍卖 with a bid: withdrawn → ended, the bidder told, later bids refused, no deal.
        var auctioned = await TradingFixture.AchievementAsync(seller);
        var auction = await IdAsync(await AuctionAsync(seller, auctioned));
        var bid = await buyer.PostAsJsonAsync($"/api/auctions/{auction}/bids", new { clientBidId = "w-1", amount = 100m });
        Assert.True(bid.StatusCode == HttpStatusCode.OK, await bid.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await seller.PostAsync($"/api/achievements/{auctioned}/withdraw", null)).StatusCode);
        var ended = await seller.GetFromJsonAsync<JsonElement>($"/api/auctions/{auction}");
        Assert.Equal("Withdrawn", ended.GetProperty("status").GetString());
        await (await buyer.PostAsJsonAsync($"/api/auctions/{auction}/bids", new { clientBidId = "w-2", amount = 200m }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "trade-closed");
        Assert.Contains(await trading.NoticesAsync("acct-one-trade-buyer", auction), n => n.News == "Withdrawn");
        Assert.Equal(HttpStatusCode.NotFound, (await buyer.GetAsync($"/api/deals/{auction}")).StatusCode);

        var hall = await seller.GetFromJsonAsync<JsonElement>("/api/trades");
        foreach (var id in new[] { offer, auction })
            Assert.Equal("Withdrawn", hall.EnumerateArray().Single(r => r.GetProperty("id").GetString() == id).GetProperty("status").GetString());
        foreach (var achievement in new[] { listed, auctioned }) // nothing was sold, so no lead reveals the seller's contact
            Assert.DoesNotContain((await (await buyer.GetAsync("/api/deals")).Content.ReadAsStringAsync()), achievement);
    }
}
