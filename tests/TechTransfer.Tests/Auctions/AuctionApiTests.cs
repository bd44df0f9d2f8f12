using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Auctions;

/// <summary>
/// 拍卖 through the real host: concurrent bidders, soft close, reserve, who may bid, idempotent retries, the
/// append-only log, the end by timer/reminder and the winner's lead.
/// </summary>
[Collection(TradingCollection.Name)]
public sealed class AuctionApiTests(TradingFixture trading)
{
    const string Seller = "demo-university"; // 江苏 → yangtze-delta

    async Task<string> CreateAsync(HttpClient seller, TimeSpan endsIn, decimal starting = 100m, decimal reserve = 0m, decimal increment = 0.5m)
    {
        var achievement = await TradingFixture.AchievementAsync(seller);
        var response = await seller.PostAsJsonAsync("/api/auctions", new
        {
            achievementId = achievement, endsAt = DateTimeOffset.UtcNow + endsIn, startingPrice = starting, reservePrice = reserve,
            minIncrement = increment, depositRequired = true,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.BodyAsync()).GetProperty("id").GetString()!;
    }

    static Task<HttpResponseMessage> BidAsync(HttpClient bidder, string auction, decimal amount, string? clientBidId = null) =>
        bidder.PostAsJsonAsync($"/api/auctions/{auction}/bids", new { clientBidId = clientBidId ?? Guid.NewGuid().ToString("N"), amount });

    static Task<JsonElement> EndedAsync(HttpClient client, string auction) =>
        TradingFixture.UntilAsync(client, $"/api/auctions/{auction}", a => a.GetProperty("status").GetString() is "Sold" or "Unsold");

    [Fact]
    public async Task Of_a_hundred_concurrent_bidders_exactly_the_highest_valid_bid_wins_and_every_other_bidder_is_told()
    {
        var seller = await trading.SignedInAsync(Seller);
        var auction = await CreateAsync(seller, TimeSpan.FromSeconds(10));
        var bidders = Enumerable.Range(0, 100)
            .Select(i => (Account: $"acct-bidder-{Guid.NewGuid():N}"[..24], Organization: TradingFixture.VerifiedEnterprises[i % 4], Amount: 100m + i * 1.25m))
            .ToArray();
        var (watcher, feed) = await trading.WatchAsync(trading.Token("acct-watcher-" + auction[^8..], "org-demo-enterprise-4"), auction);
        await using var _ = watcher;

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = bidders.Select(async b =>
        {
            var client = trading.As(b.Account, b.Organization);
            await go.Task;
            return (Bidder: b, Response: await BidAsync(client, auction, b.Amount));
        }).ToArray();
        go.SetResult();
        var results = await Task.WhenAll(calls);

        var accepted = results.Where(r => r.Response.StatusCode == HttpStatusCode.OK).ToArray();
        foreach (var refused in results.Where(r => r.Response.StatusCode != HttpStatusCode.OK))
            await refused.Response.AssertProblemAsync(HttpStatusCode.Conflict, "bid-too-low"); // told at once: someone bid higher first
        var highest = bidders[^1];
        Assert.Contains(accepted, r => r.Bidder == highest);

        var ended = await EndedAsync(seller, auction);
        Assert.Equal("Sold", ended.GetProperty("status").GetString());
        Assert.Equal(highest.Amount, ended.GetProperty("winningAmount").GetDecimal());
        Assert.Equal(highest.Organization, ended.GetProperty("winnerOrganizationId").GetString());
        var amounts = ended.GetProperty("bids").EnumerateArray().Select(b => b.GetProperty("amount").GetDecimal()).ToArray();
        Assert.Equal(accepted.Length, amounts.Length);
        Assert.True(amounts.Zip(amounts.Skip(1)).All(p => p.Second >= p.First + 0.5m), "each accepted bid beats the one before by the increment");
        Assert.Equal(accepted.Length, await trading.Database.CountAsync($"SELECT count(*) FROM tt_auction_bid WHERE auction_id = '{auction}'"));
        Assert.DoesNotContain(ended.GetProperty("bids").EnumerateArray(), b => b.GetProperty("bidder").GetString()!.Contains("acct-"));

        Assert.Contains(await trading.NoticesAsync(highest.Account, auction), n => n.News == "Won" && n.Amount == highest.Amount);
        foreach (var loser in accepted.Select(r => r.Bidder).Where(b => b != highest))
            Assert.Contains(await trading.NoticesAsync(loser.Account, auction), n => n.News == "Lost");
        Assert.DoesNotContain(await trading.NoticesAsync(highest.Account, auction), n => n.News == "Lost");

        // The watcher (on another enterprise, which may not bid) saw every accepted bid and the end, bidders masked.
        await TradingFixture.UntilAsync(seller, $"/api/auctions/{auction}", _ => feed.Any(f => f.Event == "ended"));
        Assert.Equal(accepted.Length, feed.Count(f => f.Event is "bid" or "extended"));
        Assert.All(feed, f => Assert.DoesNotContain("acct-", f.Bidder ?? ""));

        // The sale is a lead of the seller's center, at once, for the brokers to claim as any other.
        var queue = await (await trading.SignedInAsync("demo-broker")).GetFromJsonAsync<JsonElement>("/api/regions/yangtze-delta/leads?stage=Lead");
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), row => row.GetProperty("id").GetString() == auction);
        var claimed = await (await trading.SignedInAsync("demo-broker")).PostAsJsonAsync($"/api/deals/{auction}/claim", new { });
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
    }

    [Fact]
    public async Task A_bid_in_the_last_minutes_extends_the_end_and_the_auction_ends_at_the_new_time()
    {
        var seller = await trading.SignedInAsync(Seller);
        // Ten seconds: the first bid must land outside the 3 s window even when creating the auction and signing the
        // bidder in take seconds on a loaded machine (with five, a CI run under load bid 2.x s before the end).
        var auction = await CreateAsync(seller, TimeSpan.FromSeconds(10));
        var created = await seller.GetFromJsonAsync<JsonElement>($"/api/auctions/{auction}");
        var originalEnd = created.GetProperty("endsAt").GetDateTimeOffset();
        var bidder = trading.As("acct-soft-" + auction[^8..], "org-demo-enterprise-1");

        var early = await (await BidAsync(bidder, auction, 100m)).BodyAsync(); // seconds before the end: outside the 3 s window
        Assert.False(early.GetProperty("extended").GetBoolean());
        while (DateTimeOffset.UtcNow < originalEnd - TimeSpan.FromSeconds(2)) await Task.Delay(100);
        var late = await BidAsync(bidder, auction, 101m);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        var receipt = await late.BodyAsync();
        Assert.True(receipt.GetProperty("extended").GetBoolean());
        var newEnd = receipt.GetProperty("endsAt").GetDateTimeOffset();
        Assert.Equal(originalEnd + TradingFixture.SoftClose, newEnd);

        while (DateTimeOffset.UtcNow < originalEnd + TimeSpan.FromSeconds(0.5)) await Task.Delay(100);
        var running = await seller.GetFromJsonAsync<JsonElement>($"/api/auctions/{auction}");
        Assert.Equal("Open", running.GetProperty("status").GetString()); // the old end passed, the auction goes on
        var ended = await EndedAsync(seller, auction);
        Assert.Equal("Sold", ended.GetProperty("status").GetString());
        Assert.Equal(newEnd, ended.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal(101m, ended.GetProperty("winningAmount").GetDecimal());
    }

    [Fact]
    public async Task Below_the_reserve_the_auction_ends_unsold_without_a_deal_and_the_parties_are_told()
    {
        var seller = await trading.SignedInAsync(Seller);
        var auction = await CreateAsync(seller, TimeSpan.FromSeconds(3), starting: 100m, reserve: 500m);
        var account = "acct-reserve-" + auction[^8..];
        Assert.Equal(HttpStatusCode.OK, (await BidAsync(trading.As(account, "org-demo-enterprise-2"), auction, 200m)).StatusCode);
        var outsider = await (await trading.As("acct-outsider-" + auction[^8..], "org-demo-enterprise-3").GetAsync($"/api/auctions/{auction}")).BodyAsync();
        Assert.Equal(JsonValueKind.Null, outsider.GetProperty("reservePrice").ValueKind); // the reserve is the seller's secret
        Assert.False(outsider.GetProperty("reserveMet").GetBoolean());

        var ended = await EndedAsync(seller, auction);
        Assert.Equal("Unsold", ended.GetProperty("status").GetString());
        Assert.Equal(500m, ended.GetProperty("reservePrice").GetDecimal());
        Assert.Equal(JsonValueKind.Null, ended.GetProperty("winnerOrganizationId").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await (await trading.SignedInAsync("demo-national")).GetAsync($"/api/deals/{auction}")).StatusCode);
        Assert.Contains(await trading.NoticesAsync(account, auction), n => n.News == "Lost");
        Assert.Contains(await trading.NoticesAsync("acct-demo-university", auction), n => n.News == "Unsold");
        await (await BidAsync(trading.As(account, "org-demo-enterprise-2"), auction, 600m)).AssertProblemAsync(HttpStatusCode.Conflict, "trade-closed");
    }

    [Fact]
    public async Task The_seller_unverified_enterprises_and_universities_cannot_bid_and_only_the_owner_creates()
    {
        // An enterprise selling its own achievement: its colleagues may not bid on it.
        var enterprise = await trading.SignedInAsync("demo-enterprise");
        var auction = await CreateAsync(enterprise, TimeSpan.FromMinutes(10));
        await (await BidAsync(enterprise, auction, 100m)).AssertProblemAsync(HttpStatusCode.Forbidden, "own-trade");
        await (await BidAsync(trading.As("acct-colleague", "org-demo-enterprise"), auction, 100m)).AssertProblemAsync(HttpStatusCode.Forbidden, "own-trade");
        await (await BidAsync(trading.As("acct-unverified", TradingFixture.UnverifiedEnterprise), auction, 100m))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "not-verified");
        await (await BidAsync(await trading.SignedInAsync(Seller), auction, 100m)).AssertProblemAsync(HttpStatusCode.Forbidden, "not-verified");
        await (await BidAsync(await trading.SignedInAsync("demo-broker"), auction, 100m)).AssertProblemAsync(HttpStatusCode.Forbidden, "not-verified");
        await (await BidAsync(await trading.SignedInAsync("demo-national"), auction, 100m)).AssertProblemAsync(HttpStatusCode.Forbidden, "not-verified");
        await (await BidAsync(trading.As("acct-low", "org-demo-enterprise-1"), auction, 99m)).AssertProblemAsync(HttpStatusCode.Conflict, "bid-too-low");
        Assert.Equal(0, await trading.Database.CountAsync($"SELECT count(*) FROM tt_auction_bid WHERE auction_id = '{auction}'"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await trading.Host.CreateClient().PostAsJsonAsync($"/api/auctions/{auction}/bids", new { clientBidId = "x", amount = 100m })).StatusCode);

        // Only a member of the owner organization auctions an achievement; the terms are validated.
        var achievement = await TradingFixture.AchievementAsync(await trading.SignedInAsync(Seller));
        var body = new { achievementId = achievement, endsAt = DateTimeOffset.UtcNow.AddMinutes(5), startingPrice = 10m, minIncrement = 1m };
        await (await enterprise.PostAsJsonAsync("/api/auctions", body)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var invalid = await (await trading.SignedInAsync(Seller)).PostAsJsonAsync("/api/auctions",
            body with { endsAt = DateTimeOffset.UtcNow.AddMinutes(-1), startingPrice = -1m, minIncrement = 0.0000001m });
        await invalid.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        var errors = (await invalid.BodyAsync()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!).ToArray();
        Assert.Equal(["endsAt", "startingPrice", "minIncrement"], errors);

        // Verification: a broker may not grant it; the national level may, and take it back.
        var broker = await trading.SignedInAsync("demo-broker");
        await (await broker.PostAsJsonAsync($"/api/organizations/{TradingFixture.UnverifiedEnterprise}/verification", new { verified = true }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var national = await trading.SignedInAsync("demo-national");
        var granted = await (await national.PostAsJsonAsync("/api/organizations/org-demo-enterprise-4/verification", new { verified = true })).BodyAsync();
        Assert.True(granted.GetProperty("verified").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await BidAsync(trading.As("acct-unverified", TradingFixture.UnverifiedEnterprise), auction, 100m)).StatusCode);
        await national.PostAsJsonAsync("/api/organizations/org-demo-enterprise-4/verification", new { verified = false });
        await (await BidAsync(trading.As("acct-unverified", TradingFixture.UnverifiedEnterprise), auction, 200m))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "not-verified");
    }

    [Fact]
    public async Task A_retried_bid_is_taken_once_and_the_log_is_append_only()
    {
        var seller = await trading.SignedInAsync(Seller);
        var auction = await CreateAsync(seller, TimeSpan.FromMinutes(10));
        var bidder = trading.As("acct-retry-" + auction[^8..], "org-demo-enterprise-3");
        var retries = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => BidAsync(bidder, auction, 150m, "bid-0001")));
        Assert.All(retries, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var receipts = await Task.WhenAll(retries.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(receipts.Distinct()); // the same answer every time
        var again = await (await BidAsync(bidder, auction, 150m, "bid-0001")).BodyAsync();
        Assert.Equal(1, again.GetProperty("sequence").GetInt32());
        var next = await (await BidAsync(bidder, auction, 160m, "bid-0002")).BodyAsync();
        Assert.Equal(2, next.GetProperty("sequence").GetInt32());
        Assert.Equal(2, await trading.Database.CountAsync($"SELECT count(*) FROM tt_auction_bid WHERE auction_id = '{auction}'"));
        await (await BidAsync(bidder, auction, 170m, "bad id with spaces")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");

        var tampering = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            trading.Database.CountAsync($"UPDATE tt_auction_bid SET amount = 1 WHERE auction_id = '{auction}'"));
        Assert.Contains("append-only", tampering.MessageText);
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => trading.Database.CountAsync($"DELETE FROM tt_auction_bid WHERE auction_id = '{auction}'"));

        var hall = await seller.GetFromJsonAsync<JsonElement>("/api/trades?kind=Auction");
        var row = hall.EnumerateArray().Single(r => r.GetProperty("id").GetString() == auction);
        Assert.Equal((160m, 2), (row.GetProperty("price").GetDecimal(), row.GetProperty("bids").GetInt32()));
    }
}
