using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TechTransfer.Accounts;
using TechTransfer.Storage;

namespace TechTransfer.Listings;

public enum ListingKind { Achievement, Demand }

/// <summary>The queryable face of one listing, derived from its grain's state (table tt_listing).</summary>
public sealed record ListingRow(
    string Id,
    ListingKind Kind,
    string OwnerOrganizationId,
    string Status,
    string Title,
    string Province,
    string? RegionCode,
    string TechField,
    int Trl,
    decimal? Price,
    DateTimeOffset UpdatedAt,
    int Version,
    string? ExternalId,
    object PublicView);

/// <summary>One page of listings as the list endpoints return it.</summary>
/// <summary>
/// A page of a listing list. <see cref="Total"/> counts at most <see cref="ListingProjection.MaxCounted"/> (then
/// <see cref="TotalCapped"/>), on numbered pages only; <see cref="Next"/> is the cursor of the page after this one.
/// </summary>
public sealed record ListingPage(IReadOnlyList<JsonElement> Items, int Page, int Size, long? Total, bool TotalCapped = false, string? Next = null);

/// <summary>
/// Writes and reads tt_listing. Grains own their state; this table only mirrors it for lists and search,
/// so every write is an idempotent upsert guarded by the grain's version.
/// </summary>
public sealed class ListingProjection(NpgsqlDataSource db)
{
    /// <summary>
    /// Writes the row unless tt_listing already holds this version or a later one. When it does, no row is even
    /// proposed, so a replay (every activation checks its projection this way) takes no lock, no sequence number and
    /// wakes no replica: a BEFORE INSERT trigger would fire for a proposed row even when ON CONFLICT then does nothing.
    /// </summary>
    public async Task UpsertAsync(ListingRow row, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO tt_listing (id, kind, owner_org, status, title, province, region, tech_field, trl, price,
                                    updated_at, version, external_id, doc)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14
            WHERE NOT EXISTS (SELECT 1 FROM tt_listing WHERE id = $1 AND version >= $12)
            ON CONFLICT (id) DO UPDATE SET
                status = excluded.status, title = excluded.title, province = excluded.province,
                region = excluded.region, tech_field = excluded.tech_field, trl = excluded.trl,
                price = excluded.price, updated_at = excluded.updated_at, version = excluded.version,
                external_id = excluded.external_id, doc = excluded.doc
            WHERE tt_listing.version < excluded.version
            """);
        command.Parameters.Add(new() { Value = row.Id });
        command.Parameters.Add(new() { Value = KindName(row.Kind) });
        command.Parameters.Add(new() { Value = row.OwnerOrganizationId });
        command.Parameters.Add(new() { Value = row.Status });
        command.Parameters.Add(new() { Value = row.Title });
        command.Parameters.Add(new() { Value = row.Province });
        command.Parameters.Add(new() { Value = (object?)row.RegionCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = row.TechField });
        command.Parameters.Add(new() { Value = row.Trl });
        command.Parameters.Add(new() { Value = (object?)row.Price ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new() { Value = row.UpdatedAt.UtcDateTime });
        command.Parameters.Add(new() { Value = row.Version });
        command.Parameters.Add(new() { Value = (object?)row.ExternalId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(row.PublicView, TechTransferJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>
    /// Lists listings newest first. Published ones are public; anything else only to its own organization
    /// and national admins — decided here in SQL, so a page never carries a row the viewer may not see.
    /// A page is either numbered (the first thousand rows) or follows a cursor (<paramref name="after"/>, any depth):
    /// one index range either way. Numbered pages are counted, up to <see cref="MaxCounted"/>; pages after a cursor are not.
    /// </summary>
    public async Task<ListingPage> QueryAsync(
        ListingKind kind, string? owner, string? status, Actor? viewer, int page, int size, ListingCursor? after = null,
        CancellationToken cancellation = default)
    {
        const string filter = """
            FROM tt_listing
            WHERE kind = $1 AND ($2::text IS NULL OR owner_org = $2) AND ($3::text IS NULL OR status = $3)
              AND (status = 'Published' OR $4 OR owner_org = $5)
            """;
        await using var connection = await db.OpenConnectionAsync(cancellation);
        var counted = after is null;
        await using var batch = new NpgsqlBatch(connection);
        // Counting stops at MaxCounted: a national list's exact count would read millions of index entries per request.
        if (counted) batch.BatchCommands.Add(new($"SELECT count(*) FROM (SELECT 1 {filter} LIMIT {MaxCounted + 1}) counted"));
        batch.BatchCommands.Add(new($"""
            SELECT doc, updated_at, id {filter} AND ($6::timestamptz IS NULL OR (updated_at, id) < ($6, $7))
            ORDER BY updated_at DESC, id DESC LIMIT $8 OFFSET $9
            """));
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = KindName(kind) });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)owner ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = viewer?.IsNationalAdmin ?? false });
            command.Parameters.Add(new NpgsqlParameter { Value = viewer?.OrganizationId ?? "", NpgsqlDbType = NpgsqlDbType.Text });
        }
        var rows = batch.BatchCommands[^1].Parameters;
        rows.Add(new NpgsqlParameter { Value = (object?)after?.UpdatedAt.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        rows.Add(new NpgsqlParameter { Value = (object?)after?.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        rows.Add(new NpgsqlParameter { Value = size + 1 }); // one more than shown: is there a next page?
        rows.Add(new NpgsqlParameter { Value = after is null ? (long)(page - 1) * size : 0L });

        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        long? total = null;
        if (counted)
        {
            await reader.ReadAsync(cancellation);
            total = reader.GetInt64(0);
            await reader.NextResultAsync(cancellation);
        }
        var items = new List<JsonElement>();
        ListingCursor? last = null;
        var more = false;
        while (await reader.ReadAsync(cancellation))
        {
            if (items.Count == size)
            {
                more = true;
                break;
            }
            items.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
            last = new ListingCursor(new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero), reader.GetString(2));
        }
        var capped = total > MaxCounted;
        return new ListingPage(items, page, size, capped ? MaxCounted : total, capped, more ? last?.ToString() : null);
    }

    /// <summary>How far a numbered page counts the rows of its list.</summary>
    public const int MaxCounted = 10_000;

    /// <summary>How many achievements and demands of one region are published (kept by a trigger: migration 024).</summary>
    public async Task<(int Achievements, int Demands)> PublishedCountsAsync(string regionCode, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("SELECT kind, published FROM tt_region_listing_count WHERE region = $1");
        command.Parameters.Add(new() { Value = regionCode });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var (achievements, demands) = (0, 0);
        while (await reader.ReadAsync(cancellation))
            if (reader.GetString(0) == "achievement") achievements = (int)reader.GetInt64(1);
            else demands = (int)reader.GetInt64(1);
        return (achievements, demands);
    }

    static string KindName(ListingKind kind) => kind == ListingKind.Achievement ? "achievement" : "demand";
}

/// <summary>
/// Where a listing list stopped: the last row's (updated_at, id), written as an opaque URL-safe token. Exact to the
/// microsecond, PostgreSQL's resolution.
/// </summary>
public sealed record ListingCursor(DateTimeOffset UpdatedAt, string Id)
{
    public override string ToString() =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{UpdatedAt.UtcTicks / 10}:{Id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The cursor a token stands for; null when it is not one.</summary>
    public static ListingCursor? Parse(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
            var colon = text.IndexOf(':');
            if (colon <= 0 || !long.TryParse(text.AsSpan(0, colon), out var micros) || micros < 0 || micros > DateTimeOffset.MaxValue.UtcTicks / 10) return null;
            var id = text[(colon + 1)..];
            return id.Length is 0 or > 64 || id.Any(char.IsControl) ? null : new ListingCursor(new DateTimeOffset(micros * 10, TimeSpan.Zero), id);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
