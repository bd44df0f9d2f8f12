using Npgsql;
using NpgsqlTypes;

namespace TechTransfer.Organizations;

/// <summary>An application as the centers' queue lists it.</summary>
public sealed record ApplicationRow(
    string OrganizationId, string Name, string Kind, string Province, string? RegionCode, string Status, string? Phone, string? Email,
    string ApplicantAccountId, DateTimeOffset AppliedAt, string? Reason, DateTimeOffset? DecidedAt);

public sealed record ApplicationPage(IReadOnlyList<ApplicationRow> Items, int Page, int Size, long Total);

/// <summary>What an organization has done on the platform, counted from the other projections.</summary>
public sealed record OrganizationRecord(long PublishedAchievements, long PublishedDemands, long Deals, long RegisteredContracts);

/// <summary>Writes and reads tt_organization (version-guarded upserts, like the listings' projection).</summary>
public sealed class OrganizationProjection(NpgsqlDataSource db)
{
    public async Task UpsertAsync(OrganizationView o, string? regionOfProvince, int version, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO tt_organization (id, name, kind, province, region, verified, application, phone, email, applicant,
                                         applied_at, reason, decided_at, version)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14
            WHERE NOT EXISTS (SELECT 1 FROM tt_organization WHERE id = $1 AND version >= $14) -- a replay writes nothing
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, province = excluded.province,
                region = excluded.region, verified = excluded.verified, application = excluded.application, phone = excluded.phone,
                email = excluded.email, applicant = excluded.applicant, applied_at = excluded.applied_at, reason = excluded.reason,
                decided_at = excluded.decided_at, version = excluded.version
            WHERE tt_organization.version < excluded.version
            """);
        var a = o.Application;
        object?[] values =
        [
            o.Id, o.Name, o.Kind, o.Province, regionOfProvince, o.Verified, a?.Status.ToString(), a?.Phone, a?.Email,
            a?.ApplicantAccountId, Time(a?.AppliedAt), a?.Reason, Time(a?.DecidedAt), version,
        ];
        foreach (var value in values) command.Parameters.Add(Parameter(value));
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>Applications of one region (null: every region), newest first; <paramref name="status"/> null lists all.</summary>
    public async Task<ApplicationPage> ApplicationsAsync(string? region, string? status, int page, int size, CancellationToken cancellation = default)
    {
        const string filter = "FROM tt_organization WHERE application IS NOT NULL AND ($1::text IS NULL OR region = $1) AND ($2::text IS NULL OR application = $2)";
        await using var connection = await db.OpenConnectionAsync(cancellation);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new($"SELECT count(*) {filter}"),
                new($"""
                    SELECT id, name, kind, province, region, application, phone, email, applicant, applied_at, reason, decided_at
                    {filter} ORDER BY applied_at DESC, id LIMIT $3 OFFSET $4
                    """),
            },
        };
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(Parameter(region));
            command.Parameters.Add(Parameter(status));
        }
        batch.BatchCommands[1].Parameters.Add(new NpgsqlParameter { Value = size });
        batch.BatchCommands[1].Parameters.Add(new NpgsqlParameter { Value = (long)(page - 1) * size });
        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellation);
        var items = new List<ApplicationRow>();
        while (await reader.ReadAsync(cancellation))
            items.Add(new ApplicationRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Text(reader, 4),
                reader.GetString(5), Text(reader, 6), Text(reader, 7), reader.GetString(8), reader.GetFieldValue<DateTimeOffset>(9),
                Text(reader, 10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11)));
        return new ApplicationPage(items, page, size, total);
    }

    /// <summary>Published listings by kind, deals past the match (either side), registered contracts: one round trip.</summary>
    public async Task<OrganizationRecord> RecordAsync(string organizationId, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            SELECT (SELECT count(*) FROM tt_listing WHERE owner_org = $1 AND status = 'Published' AND kind = 'achievement'),
                   (SELECT count(*) FROM tt_listing WHERE owner_org = $1 AND status = 'Published' AND kind = 'demand'),
                   (SELECT count(*) FROM tt_deal WHERE (achievement_org = $1 OR demand_org = $1) AND stage <> 'Matched'),
                   (SELECT count(*) FROM tt_deal WHERE (achievement_org = $1 OR demand_org = $1) AND stage = 'Registered')
            """);
        command.Parameters.Add(new() { Value = organizationId });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        return new OrganizationRecord(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    // A null needs its column's type spelled out: times go as typed parameters, every other nullable column is text.
    static NpgsqlParameter Time(DateTimeOffset? at) =>
        new() { Value = at is { } t ? t.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    static NpgsqlParameter Parameter(object? value) => value switch
    {
        NpgsqlParameter typed => typed,
        null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
        _ => new NpgsqlParameter { Value = value },
    };
}
