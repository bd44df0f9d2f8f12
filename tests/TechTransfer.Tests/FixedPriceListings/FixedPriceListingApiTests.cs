using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.FixedPriceListings;

/// <summary>挂牌 through the real host: the first valid acceptance wins, the watchers and parties are told, it becomes a lead.</summary>
[Collection(TradingCollection.Name)]
public sealed class FixedPriceListingApiTests(TradingFixture trading)
{
    async Task<string> OfferAsync(HttpClient seller, TimeSpan endsIn, decimal price = 88.5m)
    {
        var achievement = await TradingFixture.AchievementAsync(seller);
        var response = await seller.PostAsJsonAsync("/api/fixed-price-listings", new { achievementId = achievement, price, endsAt = DateTimeOffset.UtcNow + endsIn });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.BodyAsync()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Of_many_concurrent_acceptances_the_first_valid_one_wins_watchers_are_told_at_once_and_it_becomes_a_lead()
    {
        var seller = await trading.SignedInAsync("demo-university");
        var offer = await OfferAsync(seller, TimeSpan.FromDays(30));
        var (watcher, feed) = await trading.WatchAsync(trading.Token("acct-fpl-watcher", "org-demo-enterprise-4"), offer);
        await using var _ = watcher;

        var buyers = Enumerable.Range(0, 40).Select(i => (Account: $"acct-fpl-{i}-{offer[^6..]}", Organization: TradingFixture.VerifiedEnterprises[i % 4])).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = buyers.Select(async b =>
        {
            var client = trading.As(b.Account, b.Organization);
            await go.Task;
            return (Buyer: b, Response: await client.PostAsync($"/api/fixed-price-listings/{offer}/accept", null));
        }).ToArray();
        go.SetResult();
        var results = await Task.WhenAll(calls);

        var winner = Assert.Single(results, r => r.Response.StatusCode == HttpStatusCode.OK);
        foreach (var loser in results.Where(r => r != winner)) await loser.Response.AssertProblemAsync(HttpStatusCode.Conflict, "trade-closed");
        var accepted = await winner.Response.BodyAsync();
        Assert.Equal(("Accepted", winner.Buyer.Organization, offer), (accepted.GetProperty("status").GetString(),
            accepted.GetProperty("buyerOrganizationId").GetString(), accepted.GetProperty("dealId").GetString()));
        var again = await trading.As(winner.Buyer.Account, winner.Buyer.Organization).PostAsync($"/api/fixed-price-listings/{offer}/accept", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // the winner's retry is harmless

        await TradingFixture.UntilAsync(seller, $"/api/fixed-price-listings/{offer}", _ => !feed.IsEmpty, seconds: 10);
        var told = Assert.Single(feed);
        Assert.Equal(("accepted", 88.5m), (told.Event, told.Amount));
        Assert.Contains(await trading.NoticesAsync(winner.Buyer.Account, offer), n => n.News == "Accepted" && n.DealId == offer);
        Assert.Contains(await trading.NoticesAsync("acct-demo-university", offer), n => n.News == "Sold");

        var outsider = await trading.As("acct-fpl-outsider", "org-demo-enterprise-4").GetFromJsonAsync<JsonElement>($"/api/fixed-price-listings/{offer}");
        Assert.Equal(JsonValueKind.Null, outsider.GetProperty("buyerOrganizationId").ValueKind); // who bought is the parties' business
        var queue = await (await trading.SignedInAsync("demo-broker")).GetFromJsonAsync<JsonElement>("/api/regions/yangtze-delta/leads?stage=Lead");
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), row => row.GetProperty("id").GetString() == offer);
        var deal = await trading.As(winner.Buyer.Account, winner.Buyer.Organization).GetFromJsonAsync<JsonElement>($"/api/deals/{offer}");
        Assert.Equal("Lead", deal.GetProperty("stage").GetString());
        Assert.Equal("王老师", deal.GetProperty("contacts").GetProperty("achievement").GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_seller_and_unverified_enterprises_cannot_accept_and_an_expired_offer_is_closed()
    {
        var seller = await trading.SignedInAsync("demo-enterprise");
        var offer = await OfferAsync(seller, TimeSpan.FromSeconds(2));
        await (await seller.PostAsync($"/api/fixed-price-listings/{offer}/accept", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "own-trade");
        await (await trading.As("acct-fpl-unverified", TradingFixture.UnverifiedEnterprise).PostAsync($"/api/fixed-price-listings/{offer}/accept", null))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "not-verified");
        await (await (await trading.SignedInAsync("demo-university")).PostAsync($"/api/fixed-price-listings/{offer}/accept", null))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "not-verified");
        var expired = await TradingFixture.UntilAsync(seller, $"/api/fixed-price-listings/{offer}", o => o.GetProperty("status").GetString() == "Expired", 10);
        Assert.Equal(JsonValueKind.Null, expired.GetProperty("acceptedAt").ValueKind);
        await (await trading.As("acct-fpl-late", "org-demo-enterprise-1").PostAsync($"/api/fixed-price-listings/{offer}/accept", null))
            .AssertProblemAsync(HttpStatusCode.Conflict, "trade-closed");
        var hall = await seller.GetFromJsonAsync<JsonElement>("/api/trades?kind=FixedPriceListing");
        Assert.Equal("Expired", hall.EnumerateArray().Single(r => r.GetProperty("id").GetString() == offer).GetProperty("status").GetString());
    }
}
