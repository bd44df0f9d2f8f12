using Npgsql;

namespace TechTransfer.Auctions;

/// <summary>One accepted bid as tt_auction_bid holds it.</summary>
public sealed record AuctionBidRow(
    int Sequence, string ClientBidId, string BidderAccount, string BidderOrganizationId, decimal Amount, DateTimeOffset At, DateTimeOffset EndsAt);

/// <summary>
/// The append-only bid log (tt_auction_bid). A bid is acknowledged only after its row commits; the same statement
/// moves the trading hall's row (price, count, end), so a bid costs one round trip and one commit.
/// </summary>
public sealed class AuctionBidLog(NpgsqlDataSource db)
{
    /// <summary>Appends bid <paramref name="bid"/>; fails with a unique violation if its number or client id is taken.</summary>
    public async Task AppendAsync(string auctionId, AuctionBidRow bid, int hallVersion)
    {
        await using var command = db.CreateCommand("""
            WITH bid AS (
                INSERT INTO tt_auction_bid (auction_id, seq, client_bid_id, bidder_account, bidder_org, amount, placed_at, ends_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq)
            UPDATE tt_trade SET price = $6, bids = $2, ends_at = $8, version = $9, updated_at = now()
            WHERE id = $1 AND version < $9 AND EXISTS (SELECT 1 FROM bid)
            """);
        object[] values = [auctionId, bid.Sequence, bid.ClientBidId, bid.BidderAccount, bid.BidderOrganizationId, bid.Amount,
            bid.At.UtcDateTime, bid.EndsAt.UtcDateTime, hallVersion];
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<AuctionBidRow>> ReadAsync(string auctionId, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            SELECT seq, client_bid_id, bidder_account, bidder_org, amount, placed_at, ends_at FROM tt_auction_bid
            WHERE auction_id = $1 ORDER BY seq
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = auctionId });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var rows = new List<AuctionBidRow>();
        while (await reader.ReadAsync(cancellation))
            rows.Add(new AuctionBidRow(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDecimal(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6)));
        return rows;
    }
}
