using Npgsql;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Trades;

namespace TechTransfer.Tests.Trades;

/// <summary>
/// The hall reads three index ranges instead of sorting every trade (issue 20; EXPLAIN in docs/trading.md): live
/// trades by end, soonest first (one already past its end that its grain is about to close comes first), then ended
/// ones, latest first, an offer that ran out among them as Expired.
/// </summary>
public sealed class TradeHallOrderTests
{
    [Fact]
    public async Task Live_trades_come_first_soonest_end_first_then_ended_ones_latest_first_with_an_offer_that_ran_out_as_expired()
    {
        await using var database = await TestDatabase.CreateAsync("hall");
        await using var db = NpgsqlDataSource.Create(database.ConnectionString);
        var hall = new TradeProjection(db);
        var now = DateTimeOffset.UtcNow;
        async Task TradeAsync(string id, string kind, string status, double endsInDays) =>
            await hall.WriteAsync(new TradeRow(id, kind, $"成果 {id}", $"ach-{id}", "org-demo-university", "320000", status, 100m, 0,
                now.AddDays(-30), now.AddDays(endsInDays), 1));

        await TradeAsync("trd-live-later", "Auction", "Open", 5);
        await TradeAsync("trd-live-soon", "FixedPriceListing", "Open", 1);
        await TradeAsync("trd-scheduled", "Tender", "Scheduled", 3);
        await TradeAsync("trd-overdue-auction", "Auction", "Open", -0.01); // its grain closes it in a moment
        await TradeAsync("trd-ran-out", "FixedPriceListing", "Open", -2);  // nobody accepted: nobody writes that
        await TradeAsync("trd-sold-recently", "FixedPriceListing", "Sold", -1);
        await TradeAsync("trd-closed-long-ago", "Auction", "Closed", -20);

        var rows = await hall.ListAsync(null, 200);

        Assert.Equal(["trd-overdue-auction", "trd-live-soon", "trd-scheduled", "trd-live-later", "trd-sold-recently", "trd-ran-out", "trd-closed-long-ago"],
            rows.Select(r => r.Id));
        Assert.Equal("Expired", rows.Single(r => r.Id == "trd-ran-out").Status);
        Assert.Equal("Open", rows.Single(r => r.Id == "trd-overdue-auction").Status);
        Assert.Equal(["trd-live-soon", "trd-sold-recently", "trd-ran-out"], (await hall.ListAsync("FixedPriceListing", 200)).Select(r => r.Id));
        Assert.Equal(["trd-overdue-auction", "trd-live-soon"], (await hall.ListAsync(null, 2)).Select(r => r.Id));
    }
}
