using Npgsql;

namespace TechTransfer.Trades;

/// <summary>One row of the trading hall (交易大厅). For a tender, Price is null until its bids are opened.</summary>
public sealed record TradeRow(
    string Id, string Kind, string Title, string ListingId, string OwnerOrganizationId, string? Region, string Status,
    decimal? Price, int Bids, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Version);

/// <summary>Writes and reads tt_trade: the queryable face of listing, auction and tender grains (version-guarded upserts).</summary>
public sealed class TradeProjection(NpgsqlDataSource db)
{
    public async Task WriteAsync(TradeRow row, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO tt_trade (id, kind, title, listing_id, owner_org, region, status, price, bids, starts_at, ends_at, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, price = excluded.price, bids = excluded.bids,
                ends_at = excluded.ends_at, version = excluded.version, updated_at = now()
            WHERE tt_trade.version < excluded.version
            """);
        object[] values = [row.Id, row.Kind, row.Title, row.ListingId, row.OwnerOrganizationId];
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)row.Region ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = row.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)row.Price ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = row.Bids });
        command.Parameters.Add(new NpgsqlParameter { Value = row.StartsAt.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = row.EndsAt.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter { Value = row.Version });
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>Whether a trade with this id was ever opened: one index lookup, no grain activated (the hub's Watch asks).</summary>
    public async Task<bool> ExistsAsync(string id, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM tt_trade WHERE id = $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (bool)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>
    /// The hall: open trades first (soonest end first), then the most recently ended. With <paramref name="listingId"/>,
    /// only the trades of that achievement or demand (its page says whether it is in an open trade and links to it).
    /// </summary>
    public async Task<IReadOnlyList<TradeRow>> ListAsync(string? kind, int limit, CancellationToken cancellation = default, string? listingId = null)
    {
        // Three parts, each one range of an index (migration 023) and at most a page long, instead of sorting every
        // trade ever held. An offer nobody accepted simply runs out: no grain writes that, the hall reads it off the clock.
        const string columns = "id, kind, title, listing_id, owner_org, region, price, bids, starts_at, ends_at, version";
        const string filters = "($1::text IS NULL OR kind = $1) AND ($3::text IS NULL OR listing_id = $3)";
        await using var command = db.CreateCommand($"""
            SELECT id, kind, title, listing_id, owner_org, region, status, price, bids, starts_at, ends_at, version FROM (
                (SELECT {columns}, status, true AS live FROM tt_trade
                 WHERE status IN ('Open', 'Scheduled') AND ends_at > now() AND {filters} ORDER BY ends_at LIMIT $2)
                UNION ALL
                (SELECT {columns}, status, true FROM tt_trade
                 WHERE (status = 'Scheduled' OR (status = 'Open' AND kind <> 'FixedPriceListing')) AND ends_at <= now() AND {filters}
                 ORDER BY ends_at LIMIT $2)
                UNION ALL
                (SELECT {columns}, CASE WHEN status = 'Open' THEN 'Expired' ELSE status END, false FROM tt_trade
                 WHERE (status NOT IN ('Open', 'Scheduled') OR (kind = 'FixedPriceListing' AND status = 'Open' AND ends_at <= now())) AND {filters}
                 ORDER BY ends_at DESC LIMIT $2)) t
            ORDER BY live DESC, CASE WHEN live THEN ends_at END ASC, ends_at DESC
            LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)listingId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var rows = new List<TradeRow>();
        while (await reader.ReadAsync(cancellation))
            rows.Add(new TradeRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetDecimal(7),
                reader.GetInt32(8), reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10), reader.GetInt32(11)));
        return rows;
    }
}
