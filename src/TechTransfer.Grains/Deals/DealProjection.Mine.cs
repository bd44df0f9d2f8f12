using TechTransfer.Accounts;
using TechTransfer.Vocabulary;

namespace TechTransfer.Deals;

/// <summary>A deal as 我的对接 lists it: both parties' organizations (so the page names the counterpart), no trail, no contacts.</summary>
public sealed record MyDealRow(
    string Id, string AchievementId, string DemandId, string AchievementTitle, string DemandTitle,
    string AchievementOrganizationId, string DemandOrganizationId, string Stage, string? ClaimedBy, string? LeadingRegion,
    bool Stale, DateTimeOffset LastActivityAt);

public sealed record MyDealPage(IReadOnlyList<MyDealRow> Items, int Page, int Size, long Total);

public sealed partial class DealProjection
{
    /// <summary>
    /// The deals that are <paramref name="viewer"/>'s work, latest activity first: a broker's, those they lead; a
    /// center admin's, those of the region (either party's, once a lead); national, every lead; anyone else, their
    /// organization's as either party, including those still waiting for interest. The deal grain's
    /// <c>MaySee</c> admits each of them.
    /// </summary>
    public async Task<MyDealPage> MineAsync(Actor viewer, DealStage? stage, int page, int size, CancellationToken cancellation = default)
    {
        var (where, key) = viewer.Role switch
        {
            Role.NationalAdmin => ("stage <> 'Matched' AND $1::text IS NOT NULL", ""),
            Role.Broker when viewer.RegionCode is not null => ("claimed_by = $1", viewer.AccountId),
            Role.CenterAdmin when viewer.RegionCode is { } region =>
                ("(achievement_region = $1 OR demand_region = $1) AND stage <> 'Matched'", region),
            _ => ("(achievement_org = $1 OR demand_org = $1)", viewer.OrganizationId),
        };
        where += " AND ($2::text IS NULL OR stage = $2)";
        await using var count = db.CreateCommand($"SELECT count(*) FROM tt_deal WHERE {where}");
        count.Parameters.Add(Parameter(key));
        count.Parameters.Add(Parameter(stage?.ToString()));
        var total = (long)(await count.ExecuteScalarAsync(cancellation))!;

        await using var command = db.CreateCommand($"""
            SELECT id, achievement_id, demand_id, achievement_title, demand_title, achievement_org, demand_org, stage, claimed_by,
                leading_region, stale, last_activity_at
            FROM tt_deal WHERE {where}
            ORDER BY last_activity_at DESC, id LIMIT $3 OFFSET $4
            """);
        foreach (var value in new object?[] { key, stage?.ToString(), size, (page - 1) * size }) command.Parameters.Add(Parameter(value));
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var rows = new List<MyDealRow>();
        while (await reader.ReadAsync(cancellation))
            rows.Add(new MyDealRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetBoolean(10), reader.GetFieldValue<DateTimeOffset>(11)));
        return new MyDealPage(rows, page, size, total);
    }
}
