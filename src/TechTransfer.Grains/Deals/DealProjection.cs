using Npgsql;
using TechTransfer.Vocabulary;

namespace TechTransfer.Deals;

/// <summary>A deal as queues list it: no trail, no contacts.</summary>
public sealed record DealRow(
    string Id, string AchievementId, string DemandId, string AchievementTitle, string DemandTitle, int Score, string Stage,
    bool AchievementInterest, bool DemandInterest, string? ClaimedBy, string? LeadingRegion, bool Stale,
    string? AchievementRegion, string? DemandRegion, DateTimeOffset LastActivityAt);

/// <summary>Reads a match's facts for its deal, and writes and reads tt_deal (version-guarded upserts).</summary>
public sealed partial class DealProjection(NpgsqlDataSource db)
{
    const string Columns = """
        id, achievement_id, demand_id, achievement_title, demand_title, score, stage, achievement_interest, demand_interest,
        claimed_by, leading_region, stale, achievement_region, demand_region, last_activity_at
        """;

    public async Task<DealFacts?> LoadFactsAsync(string matchId, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            SELECT m.achievement_id, m.demand_id, m.score, a.title, d.title, a.owner_org, d.owner_org, a.region, d.region, a.tech_field
            FROM tt_match m JOIN tt_listing a ON a.id = m.achievement_id JOIN tt_listing d ON d.id = m.demand_id
            WHERE m.id = $1
            """);
        command.Parameters.Add(new() { Value = matchId });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        if (!await reader.ReadAsync(cancellation)) return null;
        return new DealFacts(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
            reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetString(9));
    }

    public async Task WriteAsync(string id, DealState s, bool stale, CancellationToken cancellation = default)
    {
        var f = s.Facts!;
        await using var command = db.CreateCommand("""
            INSERT INTO tt_deal (id, achievement_id, demand_id, achievement_org, demand_org, achievement_region, demand_region,
                achievement_title, demand_title, score, stage, achievement_interest, demand_interest, claimed_by, leading_region,
                stale, last_activity_at, version)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18
            WHERE NOT EXISTS (SELECT 1 FROM tt_deal WHERE id = $1 AND version >= $18) -- a replay writes (and locks) nothing
            ON CONFLICT (id) DO UPDATE SET stage = excluded.stage, achievement_interest = excluded.achievement_interest,
                demand_interest = excluded.demand_interest, claimed_by = excluded.claimed_by, leading_region = excluded.leading_region,
                stale = excluded.stale, last_activity_at = excluded.last_activity_at, version = excluded.version
            WHERE tt_deal.version < excluded.version
            """);
        object?[] values =
        [
            id, f.AchievementId, f.DemandId, f.AchievementOrganizationId, f.DemandOrganizationId, f.AchievementRegion, f.DemandRegion,
            f.AchievementTitle, f.DemandTitle, f.Score, s.Stage.ToString(), s.AchievementInterest, s.DemandInterest, s.ClaimedBy,
            s.LeadingRegion, stale, s.LastActivityAt.UtcDateTime, s.Version,
        ];
        foreach (var value in values) command.Parameters.Add(Parameter(value));
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>A center's queue: leads and deals of its region (either party's), newest activity first.</summary>
    public Task<IReadOnlyList<DealRow>> RegionQueueAsync(string region, DealStage? stage, int limit, CancellationToken cancellation = default) =>
        QueryAsync($"""
            SELECT {Columns} FROM tt_deal
            WHERE (achievement_region = $1 OR demand_region = $1) AND stage <> 'Matched' AND ($2::text IS NULL OR stage = $2)
            ORDER BY last_activity_at DESC LIMIT $3
            """, [region, stage?.ToString(), limit], cancellation);

    /// <summary>An organization's deals as either party, including those still waiting for interest.</summary>
    public Task<IReadOnlyList<DealRow>> OfOrganizationAsync(string organization, int limit, CancellationToken cancellation = default) =>
        QueryAsync($"""
            SELECT {Columns} FROM tt_deal WHERE achievement_org = $1 OR demand_org = $1
            ORDER BY last_activity_at DESC LIMIT $2
            """, [organization, limit], cancellation);

    async Task<IReadOnlyList<DealRow>> QueryAsync(string sql, object?[] values, CancellationToken cancellation)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var value in values) command.Parameters.Add(Parameter(value));
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var rows = new List<DealRow>();
        while (await reader.ReadAsync(cancellation))
            rows.Add(new DealRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt32(5), reader.GetString(6), reader.GetBoolean(7), reader.GetBoolean(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10), reader.GetBoolean(11),
                reader.IsDBNull(12) ? null : reader.GetString(12), reader.IsDBNull(13) ? null : reader.GetString(13),
                reader.GetFieldValue<DateTimeOffset>(14)));
        return rows;
    }

    // The nullable columns are all text: a null needs that type spelled out.
    static NpgsqlParameter Parameter(object? value) =>
        value is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } : new NpgsqlParameter { Value = value };
}
