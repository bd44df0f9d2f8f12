using Npgsql;
using TechTransfer.Vocabulary;

namespace TechTransfer.Deals;

/// <summary>A deal as queues list it: no trail, no contacts.</summary>
public sealed record DealRow(
    string Id, string AchievementId, string DemandId, string AchievementTitle, string DemandTitle, int Score, string Stage,
    bool AchievementInterest, bool DemandInterest, string? ClaimedBy, string? LeadingRegion, bool Stale,
    string? AchievementRegion, string? DemandRegion, DateTimeOffset LastActivityAt);

/// <summary>
/// What a center's queue is asked for. <see cref="Queue"/>: <see cref="Unclaimed"/> leads, deals the viewer leads
/// (<see cref="Mine"/>), all <see cref="Open"/> ones, open ones <see cref="Quiet"/> since <see cref="QuietSince"/>, or
/// <see cref="All"/> (closed and registered too). Page and size are already bounded by the caller.
/// </summary>
public sealed record RegionQueueQuery(
    string Region, string Me, string Queue, DealStage? Stage, TechField? TechField, string? Province, int MinScore, int MaxScore,
    DateTimeOffset? LeadSince, DateTimeOffset QuietSince, string Sort, int Page, int Size)
{
    public const string Unclaimed = "unclaimed", Mine = "mine", Open = "open", Quiet = "quiet", All = "all";
    public const string Newest = "newest", ByScore = "score", OldestWaiting = "oldest";
    public static readonly string[] Queues = [Unclaimed, Mine, Open, Quiet, All];
    public static readonly string[] Sorts = [Newest, ByScore, OldestWaiting];
}

/// <summary>A row of a center's queue: both sides with their organizations and provinces; no contacts.</summary>
public sealed record RegionQueueRow(
    string Id, string AchievementId, string DemandId, string AchievementTitle, string DemandTitle,
    string AchievementOrganizationId, string DemandOrganizationId, string? AchievementProvince, string? DemandProvince,
    string? TechField, int Score, string Stage, string? ClaimedBy, string? LeadingRegion, bool Stale, DateTimeOffset? LeadAt,
    DateTimeOffset LastActivityAt);

/// <summary>The whole queue at a glance: open deals, unclaimed leads, open deals the viewer leads, open ones gone quiet.</summary>
public sealed record RegionQueueCounts(int Open, int Unclaimed, int Mine, int Quiet);

/// <summary>One page of rows, how many the filters leave, the whole queue's counts and its open deals per TechField.</summary>
public sealed record RegionQueuePage(IReadOnlyList<RegionQueueRow> Rows, int Total, RegionQueueCounts Counts, IReadOnlyDictionary<string, int> OpenByField);

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

    /// <summary>
    /// The deal's row, its trail and its ratings (信誉体系 reads them), in one round trip. The trail and the ratings only
    /// grow and are inserted whole each time, the stored ones skipped, so a replay or a repair adds what is missing.
    /// </summary>
    public async Task WriteAsync(string id, DealState s, bool stale, CancellationToken cancellation = default)
    {
        var f = s.Facts!;
        var deal = new NpgsqlBatchCommand("""
            INSERT INTO tt_deal (id, achievement_id, demand_id, achievement_org, demand_org, achievement_region, demand_region,
                achievement_title, demand_title, score, stage, achievement_interest, demand_interest, claimed_by, leading_region,
                stale, last_activity_at, version, lead_at, tech_field)
            SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20
            WHERE NOT EXISTS (SELECT 1 FROM tt_deal WHERE id = $1 AND version >= $18) -- a replay writes (and locks) nothing
            ON CONFLICT (id) DO UPDATE SET stage = excluded.stage, achievement_interest = excluded.achievement_interest,
                demand_interest = excluded.demand_interest, claimed_by = excluded.claimed_by, leading_region = excluded.leading_region,
                stale = excluded.stale, last_activity_at = excluded.last_activity_at, version = excluded.version,
                lead_at = excluded.lead_at, tech_field = excluded.tech_field
            WHERE tt_deal.version < excluded.version
            """);
        object?[] values =
        [
            id, f.AchievementId, f.DemandId, f.AchievementOrganizationId, f.DemandOrganizationId, f.AchievementRegion, f.DemandRegion,
            f.AchievementTitle, f.DemandTitle, f.Score, s.Stage.ToString(), s.AchievementInterest, s.DemandInterest, s.ClaimedBy,
            s.LeadingRegion, stale, s.LastActivityAt.UtcDateTime, s.Version,
        ];
        foreach (var value in values) deal.Parameters.Add(Parameter(value));
        deal.Parameters.Add(new NpgsqlParameter { Value = (object?)s.LeadAt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        deal.Parameters.Add(Parameter(f.TechField));

        var trail = new NpgsqlBatchCommand("""
            INSERT INTO tt_deal_event (deal_id, seq, at, actor, action, from_stage, to_stage, note)
            SELECT $1, t.seq - 1, t.at, t.actor, t.action, t.from_stage, t.to_stage, t.note
            FROM unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                 WITH ORDINALITY AS t(at, actor, action, from_stage, to_stage, note, seq)
            ON CONFLICT DO NOTHING
            """);
        trail.Parameters.Add(new NpgsqlParameter { Value = id });
        trail.Parameters.Add(new NpgsqlParameter { Value = s.Trail.Select(e => e.At.UtcDateTime).ToArray() });
        foreach (var column in new Func<DealEntry, string?>[] { e => e.Actor, e => e.Action, e => e.From, e => e.To, e => e.Note })
            trail.Parameters.Add(new NpgsqlParameter { Value = s.Trail.Select(column).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });

        var ratings = new NpgsqlBatchCommand("""
            INSERT INTO tt_deal_rating (deal_id, side, broker, stars, comment, rated_by, rated_at)
            SELECT $1, r.side, r.broker, r.stars, r.comment, r.rated_by, r.rated_at
            FROM unnest($2::text[], $3::text[], $4::integer[], $5::text[], $6::text[], $7::timestamptz[]) AS r(side, broker, stars, comment, rated_by, rated_at)
            ON CONFLICT DO NOTHING
            """);
        ratings.Parameters.Add(new NpgsqlParameter { Value = id });
        foreach (var column in new Func<DealRating, string?>[] { r => r.Side, r => r.Broker })
            ratings.Parameters.Add(new NpgsqlParameter { Value = s.Ratings.Select(column).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        ratings.Parameters.Add(new NpgsqlParameter { Value = s.Ratings.Select(r => r.Stars).ToArray() });
        foreach (var column in new Func<DealRating, string?>[] { r => r.Comment, r => r.RatedBy })
            ratings.Parameters.Add(new NpgsqlParameter { Value = s.Ratings.Select(column).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        ratings.Parameters.Add(new NpgsqlParameter { Value = s.Ratings.Select(r => r.At.UtcDateTime).ToArray() });

        await using var connection = await db.OpenConnectionAsync(cancellation);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { deal, trail, ratings } };
        await batch.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>
    /// A page of a center's queue (leads and deals with either party in its region), filtered and sorted as asked, with
    /// the total the filters leave and the counts of the whole queue, all read in one round trip.
    /// </summary>
    public async Task<RegionQueuePage> RegionQueueAsync(RegionQueueQuery q, CancellationToken cancellation = default)
    {
        const string Open = "stage IN ('Lead', 'Introduced', 'Negotiating', 'ContractSigned')";
        // $1 region, $2 me, $3 quiet-since; the filters' parameters follow.
        const string InRegion = """
            FROM tt_deal t LEFT JOIN tt_listing a ON a.id = t.achievement_id LEFT JOIN tt_listing d ON d.id = t.demand_id
            WHERE (t.achievement_region = $1 OR t.demand_region = $1) AND t.stage <> 'Matched'
            """;
        var filters = new List<string>();
        var values = new List<NpgsqlParameter> { new() { Value = q.Region }, new() { Value = q.Me }, new() { Value = q.QuietSince.UtcDateTime } };
        void Filter(string sql, object value)
        {
            values.Add(new NpgsqlParameter { Value = value });
            filters.Add(sql.Replace("@", "$" + values.Count));
        }
        switch (q.Queue)
        {
            case RegionQueueQuery.Unclaimed: filters.Add("t.stage = 'Lead' AND t.claimed_by IS NULL"); break;
            case RegionQueueQuery.Mine: filters.Add($"t.claimed_by = $2 AND t.{Open}"); break;
            case RegionQueueQuery.Open: filters.Add($"t.{Open}"); break;
            case RegionQueueQuery.Quiet: filters.Add($"t.{Open} AND t.last_activity_at < $3"); break;
        }
        if (q.Stage is { } stage) Filter("t.stage = @", stage.ToString());
        if (q.TechField is { } field) Filter("t.tech_field = @", field.ToString());
        if (q.Province is { } province) Filter("(a.province = @ OR d.province = @)", province);
        if (q.MinScore > 0) Filter("t.score >= @", q.MinScore);
        if (q.MaxScore < 100) Filter("t.score <= @", q.MaxScore);
        if (q.LeadSince is { } since) Filter("t.lead_at >= @", since.UtcDateTime);
        var where = string.Concat(filters.Select(f => " AND " + f));
        var order = q.Sort switch
        {
            RegionQueueQuery.ByScore => "t.score DESC, t.lead_at DESC",
            RegionQueueQuery.OldestWaiting => "t.last_activity_at ASC",
            _ => "t.lead_at DESC",
        };

        await using var batch = db.CreateBatch();
        Add($"""
            SELECT count(*) FILTER (WHERE t.{Open}), count(*) FILTER (WHERE t.stage = 'Lead' AND t.claimed_by IS NULL),
                count(*) FILTER (WHERE t.claimed_by = $2 AND t.{Open}), count(*) FILTER (WHERE t.{Open} AND t.last_activity_at < $3)
            {InRegion}
            """, values.Take(3));
        Add($"SELECT t.tech_field, count(*) {InRegion} AND t.{Open} AND t.tech_field IS NOT NULL GROUP BY t.tech_field", values.Take(1));
        Add($"SELECT count(*) {InRegion}{where}", values);
        Add($"""
            SELECT t.id, t.achievement_id, t.demand_id, t.achievement_title, t.demand_title, t.achievement_org, t.demand_org,
                a.province, d.province, t.tech_field, t.score, t.stage, t.claimed_by, t.leading_region, t.stale, t.lead_at, t.last_activity_at
            {InRegion}{where}
            ORDER BY {order}, t.id LIMIT {q.Size} OFFSET {(long)(q.Page - 1) * q.Size}
            """, values);

        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var counts = new RegionQueueCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3));
        await reader.NextResultAsync(cancellation);
        var byField = new Dictionary<string, int>();
        while (await reader.ReadAsync(cancellation)) byField[reader.GetString(0)] = (int)reader.GetInt64(1);
        await reader.NextResultAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var total = (int)reader.GetInt64(0);
        await reader.NextResultAsync(cancellation);
        var rows = new List<RegionQueueRow>();
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        while (await reader.ReadAsync(cancellation))
            rows.Add(new RegionQueueRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), Text(7), Text(8), Text(9), reader.GetInt32(10), reader.GetString(11), Text(12), Text(13),
                reader.GetBoolean(14), reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15), reader.GetFieldValue<DateTimeOffset>(16)));
        return new RegionQueuePage(rows, total, counts, byField);

        void Add(string sql, IEnumerable<NpgsqlParameter> parameters)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var p in parameters) command.Parameters.Add(p.Clone());
            batch.BatchCommands.Add(command);
        }
    }

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
