using Npgsql;
using TechTransfer.Deals;

namespace TechTransfer.Reputation;

/// <summary>
/// Reads an organization's or a broker's record (their most recent <see cref="MaxDeals"/> deals with their trails,
/// their contracts, their listings, the ratings) in one round trip and turns it into the facts of <see cref="CreditFormula"/>.
/// </summary>
public sealed class CreditRecords(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>What one request may read at most: a record is judged on its recent deals, and its cost is bounded.</summary>
    public const int MaxDeals = 2000;

    /// <summary>A listing counts as fresh when its owner changed it within this long.</summary>
    public static readonly TimeSpan FreshWithin = TimeSpan.FromDays(180);

    /// <summary>How long a grade shown in a list (match cards, a center's queue) may be behind the record.</summary>
    public static readonly TimeSpan GradeCacheFor = TimeSpan.FromMinutes(5);

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset At, string Grade)> grades = new();

    sealed record Event(DateTimeOffset At, string Action);

    sealed record Deal(string Id, string Stage, bool Seller, bool Stale, List<Event> Trail);

    /// <summary>
    /// The grades of the given organizations for a list: each computed at most once per <see cref="GradeCacheFor"/> on
    /// this host, so a page of cards costs a few dictionary reads once warm.
    /// </summary>
    public async Task<Dictionary<string, string>> GradesAsync(IEnumerable<string?> organizationIds, CancellationToken cancellation = default)
    {
        var now = clock.GetUtcNow();
        var result = new Dictionary<string, string>();
        foreach (var id in organizationIds.OfType<string>().Where(id => id.Length > 0).Distinct())
        {
            if (!grades.TryGetValue(id, out var known) || now - known.At > GradeCacheFor)
                grades[id] = known = (now, (await OrganizationAsync(id, cancellation)).Grade);
            result[id] = known.Grade;
        }
        return result;
    }

    /// <summary>
    /// A listing's matches by score, and among equal scores the counterparty with the better 信誉 first: A, B, then C
    /// level with an organization without a grade yet (no evidence counts as neutral, 0.5, in the formula too), then
    /// D. Only a tie-break: a grade never lifts a match above a higher score, so no newcomer is pushed out by it.
    /// </summary>
    public static List<Matching.StoredMatch> RankTies(IEnumerable<Matching.StoredMatch> matches, IReadOnlyDictionary<string, string> grades,
        Listings.ListingKind viewed) =>
    [
        .. matches.OrderByDescending(m => m.Score).ThenBy(m =>
            (viewed == Listings.ListingKind.Achievement ? m.DemandOrganizationId : m.AchievementOrganizationId) is { } other
            && grades.TryGetValue(other, out var grade) ? TieRank(grade) : TieRank(CreditFormula.Newcomer)),
    ];

    static int TieRank(string grade) => grade switch { "A" => 0, "B" => 1, "D" => 3, _ => 2 };

    /// <summary>Of <paramref name="grades"/> (from <see cref="GradesAsync"/>), those of one list item's organizations.</summary>
    public static Dictionary<string, string> Pick(IReadOnlyDictionary<string, string> grades, params string?[] organizationIds) =>
        organizationIds.OfType<string>().Distinct().Where(grades.ContainsKey).ToDictionary(o => o, o => grades[o]);

    public async Task<CreditReport> OrganizationAsync(string organizationId, CancellationToken cancellation = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellation);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command($"""
                    SELECT d.id, d.stage, d.achievement_org = $1, d.stale, e.at, e.action
                    FROM (SELECT id, stage, achievement_org, stale FROM tt_deal WHERE achievement_org = $1 OR demand_org = $1
                          ORDER BY last_activity_at DESC LIMIT {MaxDeals}) d
                    JOIN tt_deal_event e ON e.deal_id = d.id ORDER BY d.id, e.seq
                    """, organizationId),
                Command("SELECT count(*), coalesce(sum(contract_amount), 0), min(registered_at) FROM tt_contract WHERE seller_org = $1 OR buyer_org = $1",
                    organizationId),
                Command("""
                    SELECT count(*), count(*) FILTER (WHERE updated_at >= $2) FROM tt_listing WHERE owner_org = $1 AND status = 'Published'
                    """, organizationId, (clock.GetUtcNow() - FreshWithin).UtcDateTime),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        var deals = await DealsAsync(reader, cancellation);
        await reader.NextResultAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var (contracts, amount) = ((int)reader.GetInt64(0), reader.GetDecimal(1));
        var firstContract = reader.IsDBNull(2) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(2);
        await reader.NextResultAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var (published, fresh) = ((int)reader.GetInt64(0), (int)reader.GetInt64(1));

        // A deal whose entry the organization contested and its center upheld does not count (docs/institutions.md).
        deals.RemoveAll(d => Upheld(d, d.Seller ? "achievement" : "demand"));
        int asked = 0, leads = 0, signed = 0, terminated = 0, tradesNotCompleted = 0;
        var answerHours = new List<double>();
        foreach (var deal in deals)
        {
            string own = deal.Seller ? "achievement" : "demand", other = deal.Seller ? "demand" : "achievement";
            // The other side spoke first (its interest stands as "interest:<side>"; the second interest turns the match
            // into a lead and is recorded as "lead"): this organization was asked, and answered if it followed.
            var askedAt = deal.Trail.FirstOrDefault(e => e.Action == $"interest:{other}")?.At;
            var ownAt = deal.Trail.FirstOrDefault(e => e.Action == $"interest:{own}")?.At;
            if (askedAt is { } at && (ownAt is null || ownAt > at))
            {
                asked++;
                var answer = deal.Trail.FirstOrDefault(e => e.At >= at && (e.Action == "lead" || e.Action == $"interest:{own}"));
                if (answer is not null) answerHours.Add((answer.At - at).TotalHours);
            }
            if (deal.Stage != "Matched") leads++;
            if (deal.Stage is "ContractSigned" or "Registered") signed++;
            if (deal.Stage == "Closed" && deal.Trail.Any(e => e.Action == "claim"))
            {
                terminated++;
                if (!deal.Seller && DealGrain.IsTradeKey(deal.Id)) tradesNotCompleted++; // won as the buyer, then ended
            }
        }
        var since = Earliest(deals.SelectMany(d => d.Trail).Select(e => (DateTimeOffset?)e.At).Append(firstContract));
        return CreditFormula.Organization(new OrganizationFacts(asked, answerHours.Count, Median(answerHours), leads, signed, terminated,
            tradesNotCompleted, contracts, amount, published, fresh, since));
    }

    public async Task<CreditReport> BrokerAsync(string accountId, CancellationToken cancellation = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellation);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command($"""
                    SELECT d.id, d.stage, false, d.stale, e.at, e.action
                    FROM (SELECT id, stage, stale FROM tt_deal WHERE claimed_by = $1 ORDER BY last_activity_at DESC LIMIT {MaxDeals}) d
                    JOIN tt_deal_event e ON e.deal_id = d.id ORDER BY d.id, e.seq
                    """, accountId),
                Command("""
                    SELECT count(*), coalesce(sum(contract_amount), 0) FROM tt_contract WHERE broker = $1
                    """, accountId),
                Command($"""
                    SELECT count(*), avg(stars)::float8 FROM tt_deal_rating r WHERE broker = $1
                    AND NOT EXISTS (SELECT 1 FROM tt_deal_event e WHERE e.deal_id = r.deal_id AND e.action = '{UpheldAction}broker')
                    """, accountId),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        var deals = await DealsAsync(reader, cancellation);
        await reader.NextResultAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var (contracts, amount) = ((int)reader.GetInt64(0), reader.GetDecimal(1));
        await reader.NextResultAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var (ratings, stars) = ((int)reader.GetInt64(0), reader.IsDBNull(1) ? (double?)null : reader.GetDouble(1));

        // A contract the parties registered after the attribution tail is not the broker's (docs/institutions.md).
        deals.RemoveAll(d => Upheld(d, "broker") || d.Trail.Any(e => e.Action == "register-own-unattributed"));
        var stageDays = new List<double>();
        foreach (var deal in deals)
        {
            // From the claim on, each step the broker makes (a stage, the registration, the end) closes a stage.
            var steps = deal.Trail.Where(e => e.Action is "claim" or "stage" or "register" or "close").Select(e => e.At).ToList();
            for (var i = 1; i < steps.Count; i++) stageDays.Add((steps[i] - steps[i - 1]).TotalDays);
        }
        var since = Earliest(deals.Select(d => d.Trail.FirstOrDefault(e => e.Action == "claim")?.At));
        return CreditFormula.Broker(new BrokerFacts(deals.Count, deals.Count(d => d.Stage == "Registered"), deals.Count(d => d.Stage == "Closed"),
            deals.Count(d => d.Trail.Any(e => e.Action == "stale")), deals.Count(d => d.Stale && d.Stage is not ("Registered" or "Closed")),
            Median(stageDays), contracts, amount, ratings, stars, since));
    }

    /// <summary>How many of a center's most active organizations are graded in its summary (bounds a dashboard's cost).</summary>
    public const int CenterOrganizations = 50;

    /// <summary>
    /// A center's summary: every broker's record, the grades of its <see cref="CenterOrganizations"/> organizations with
    /// the most deals (listings of the center's provinces), and its open contests.
    /// </summary>
    public async Task<CenterCredit> CenterAsync(string code, string name, IReadOnlyList<string> brokers, CancellationToken cancellation = default)
    {
        var reports = new List<CreditReport>();
        foreach (var broker in brokers) reports.Add(await BrokerAsync(broker, cancellation));
        await using var command = db.CreateCommand($"""
            SELECT o FROM (SELECT achievement_org AS o FROM tt_deal WHERE achievement_region = $1
                           UNION ALL SELECT demand_org FROM tt_deal WHERE demand_region = $1) x
            GROUP BY o ORDER BY count(*) DESC, o LIMIT {CenterOrganizations}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        var organizations = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
            while (await reader.ReadAsync(cancellation)) organizations.Add(reader.GetString(0));
        var grades = await GradesAsync(organizations, cancellation);
        var open = await OpenContestsAsync(code, 200, cancellation);
        return new CenterCredit(code, name, CenterCreditSummary.Indicators(reports),
            [.. brokers.Zip(reports, (b, r) => new BrokerGrade(b, r.Grade, r.Score))],
            grades.Values.GroupBy(g => g).ToDictionary(g => g.Key, g => g.Count()), open.Count);
    }

    /// <summary>A contest waiting for its center: the deal, whose record (subject), why, who filed it and when.</summary>
    public sealed record OpenContest(string DealId, string Subject, string Reason, string FiledBy, DateTimeOffset FiledAt,
        string AchievementTitle, string DemandTitle, string AchievementOrganizationId, string DemandOrganizationId, string? ClaimedBy);

    /// <summary>
    /// The contests nobody has decided yet, oldest first: of the deals <paramref name="region"/>'s center leads (or, while
    /// nobody leads one, of either party's center); every center's when <paramref name="region"/> is null (national).
    /// </summary>
    public async Task<List<OpenContest>> OpenContestsAsync(string? region, int limit, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            SELECT d.id, substr(e.action, 9), coalesce(e.note, ''), e.actor, e.at, d.achievement_title, d.demand_title,
                   d.achievement_org, d.demand_org, d.claimed_by
            FROM tt_deal_event e JOIN tt_deal d ON d.id = e.deal_id
            -- LIKE 'contest%' as written in the partial index (018-credit-contests.sql), so the planner can use it
            WHERE e.action LIKE 'contest%' AND e.action LIKE 'contest:%'
              AND NOT EXISTS (SELECT 1 FROM tt_deal_event x WHERE x.deal_id = e.deal_id AND x.action LIKE 'contest%'
                              AND x.action IN ('contest-upheld:' || substr(e.action, 9), 'contest-rejected:' || substr(e.action, 9)))
              AND ($1::text IS NULL OR d.leading_region = $1 OR (d.leading_region IS NULL AND $1 IN (d.achievement_region, d.demand_region)))
            ORDER BY e.at LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)region ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var open = new List<OpenContest>();
        while (await reader.ReadAsync(cancellation))
            open.Add(new OpenContest(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        return open;
    }

    const string UpheldAction = "contest-upheld:";

    static bool Upheld(Deal deal, string subject) => deal.Trail.Any(e => e.Action == UpheldAction + subject);

    static async Task<List<Deal>> DealsAsync(NpgsqlDataReader reader, CancellationToken cancellation)
    {
        var deals = new List<Deal>();
        while (await reader.ReadAsync(cancellation))
        {
            var id = reader.GetString(0);
            if (deals.Count == 0 || deals[^1].Id != id)
                deals.Add(new Deal(id, reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3), []));
            deals[^1].Trail.Add(new Event(reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5)));
        }
        return deals;
    }

    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    static double? Median(List<double> values)
    {
        if (values.Count == 0) return null;
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    static DateTimeOffset? Earliest(IEnumerable<DateTimeOffset?> times) => times.Min(); // nulls skipped; null when none
}
