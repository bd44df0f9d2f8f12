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
public sealed record ListingPage(IReadOnlyList<JsonElement> Items, int Page, int Size, long Total);

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
    /// </summary>
    public async Task<ListingPage> QueryAsync(
        ListingKind kind, string? owner, string? status, Actor? viewer, int page, int size, CancellationToken cancellation = default)
    {
        const string filter = """
            FROM tt_listing
            WHERE kind = $1 AND ($2::text IS NULL OR owner_org = $2) AND ($3::text IS NULL OR status = $3)
              AND (status = 'Published' OR $4 OR owner_org = $5)
            """;
        await using var connection = await db.OpenConnectionAsync(cancellation);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new($"SELECT count(*) {filter}"),
                new($"SELECT doc {filter} ORDER BY updated_at DESC, id LIMIT $6 OFFSET $7"),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = KindName(kind) });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)owner ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = viewer?.IsNationalAdmin ?? false });
            command.Parameters.Add(new NpgsqlParameter { Value = viewer?.OrganizationId ?? "", NpgsqlDbType = NpgsqlDbType.Text });
        }
        batch.BatchCommands[1].Parameters.Add(new NpgsqlParameter { Value = size });
        batch.BatchCommands[1].Parameters.Add(new NpgsqlParameter { Value = (long)(page - 1) * size });

        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellation);
        var items = new List<JsonElement>();
        while (await reader.ReadAsync(cancellation))
            items.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        return new ListingPage(items, page, size, total);
    }

    /// <summary>Ids of the published listings of one region, for the regional center's live counts.</summary>
    public async IAsyncEnumerable<(ListingKind Kind, string Id)> PublishedInRegionAsync(
        string regionCode, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("SELECT kind, id FROM tt_listing WHERE region = $1 AND status = 'Published'");
        command.Parameters.Add(new() { Value = regionCode });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            yield return (reader.GetString(0) == "achievement" ? ListingKind.Achievement : ListingKind.Demand, reader.GetString(1));
    }

    static string KindName(ListingKind kind) => kind == ListingKind.Achievement ? "achievement" : "demand";
}
