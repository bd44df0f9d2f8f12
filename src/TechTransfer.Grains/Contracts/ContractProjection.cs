using Npgsql;
using TechTransfer.Accounts;

namespace TechTransfer.Contracts;

/// <summary>A registered contract as lists show it: effective amounts, the parties' organizations, the traded listings' titles.</summary>
public sealed record ContractRow(
    string Number, string DealId, string AchievementId, string DemandId, string? AchievementTitle, string? DemandTitle,
    string RegionCode, string SellerOrganizationId, string BuyerOrganizationId, string Type, decimal ContractAmount,
    decimal TechTransactionAmount, DateOnly SigningDate, DateTimeOffset RegisteredAt, int Amendments);

public sealed record ContractPage(IReadOnlyList<ContractRow> Items, int Page, int Size, long Total);

/// <summary>What a contract page adds to the contract: the traded listings' titles and the broker who led the deal.</summary>
public sealed record ContractContext(string? AchievementTitle, string? DemandTitle, string? Broker);

/// <summary>Writes and reads tt_contract (upserts guarded by the amendment count), the list of registered contracts.</summary>
public sealed class ContractProjection(NpgsqlDataSource db)
{
    public async Task WriteAsync(ContractRegistration r, ContractContent effective, int amendments, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO tt_contract (number, deal_id, achievement_id, demand_id, region, seller_org, buyer_org, type, contract_amount,
                tech_amount, signing_date, registered_at, amendments, broker)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            ON CONFLICT (number) DO UPDATE SET contract_amount = excluded.contract_amount, tech_amount = excluded.tech_amount,
                amendments = excluded.amendments
            WHERE tt_contract.amendments < excluded.amendments
            """);
        var f = r.Facts;
        object[] values =
        [
            r.Number, f.DealId, f.AchievementId, f.DemandId, f.RegionCode, f.SellerOrganizationId, f.BuyerOrganizationId,
            effective.Type.ToString(), effective.ContractAmount, effective.TechTransactionAmount, effective.SigningDate,
            r.RegisteredAt.UtcDateTime, amendments, (object?)f.Broker ?? DBNull.Value,
        ];
        foreach (var value in values) command.Parameters.Add(new() { Value = value });
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>
    /// The contracts <paramref name="viewer"/> may see (<see cref="ContractRules.MaySee"/>), newest registration first:
    /// national admins all, a center's staff their region's, everyone else their organization's as either party.
    /// </summary>
    public async Task<ContractPage> VisibleToAsync(Actor viewer, int page, int size, CancellationToken cancellation = default)
    {
        var (where, key) = viewer.IsNationalAdmin ? ("true", (object)"")
            : viewer.RegionCode is { } region && ContractRules.IsStaffOf(viewer, region) ? ("c.region = $1", region)
            : ("(c.seller_org = $1 OR c.buyer_org = $1)", viewer.OrganizationId);
        await using var count = db.CreateCommand($"SELECT count(*) FROM tt_contract c WHERE {where} AND $1::text IS NOT NULL");
        count.Parameters.Add(new() { Value = key });
        var total = (long)(await count.ExecuteScalarAsync(cancellation))!;

        await using var command = db.CreateCommand($"""
            SELECT c.number, c.deal_id, c.achievement_id, c.demand_id, a.title, d.title, c.region, c.seller_org, c.buyer_org, c.type,
                c.contract_amount, c.tech_amount, c.signing_date, c.registered_at, c.amendments
            FROM tt_contract c LEFT JOIN tt_listing a ON a.id = c.achievement_id LEFT JOIN tt_listing d ON d.id = c.demand_id
            WHERE {where} AND $1::text IS NOT NULL
            ORDER BY c.registered_at DESC, c.number DESC LIMIT $2 OFFSET $3
            """);
        command.Parameters.Add(new() { Value = key });
        command.Parameters.Add(new() { Value = size });
        command.Parameters.Add(new() { Value = (page - 1) * size });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var rows = new List<ContractRow>();
        while (await reader.ReadAsync(cancellation))
            rows.Add(new ContractRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetDecimal(10),
                reader.GetDecimal(11), reader.GetFieldValue<DateOnly>(12), reader.GetFieldValue<DateTimeOffset>(13), reader.GetInt32(14)));
        return new ContractPage(rows, page, size, total);
    }

    /// <summary>
    /// The titles of the traded achievement and demand, and the broker the contract is attributed to (null when none:
    /// nobody led the deal, or its parties registered it after the attribution tail).
    /// </summary>
    public async Task<ContractContext> ContextAsync(ContractFacts facts, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            SELECT (SELECT title FROM tt_listing WHERE id = $1), (SELECT title FROM tt_listing WHERE id = $2),
                (SELECT broker FROM tt_contract WHERE deal_id = $3)
            """);
        command.Parameters.Add(new() { Value = facts.AchievementId });
        command.Parameters.Add(new() { Value = facts.DemandId });
        command.Parameters.Add(new() { Value = facts.DealId });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        return new ContractContext(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2));
    }
}
