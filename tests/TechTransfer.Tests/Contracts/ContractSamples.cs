using Npgsql;
using TechTransfer.Accounts;
using TechTransfer.Contracts;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Contracts;

/// <summary>Actors, facts and contents for registering contracts straight through the registry grain.</summary>
public static class ContractSamples
{
    public static Actor BrokerOf(string region, string account = "broker") =>
        new($"acct-{account}-{region}", $"org-center-{region}", OrganizationKind.ServiceCenter, Role.Broker, region);

    public static readonly Actor NationalAdmin = new("acct-national-admin", "org-torch", OrganizationKind.National, Role.NationalAdmin);

    public static Actor MemberOf(string organizationId, OrganizationKind kind = OrganizationKind.Enterprise) =>
        new($"acct-member-{organizationId}", organizationId, kind, Role.Member);

    public static DateOnly Today => ChinaTime.Today(TimeProvider.System);

    public static ContractFacts Facts(string region, string techField = "NewEnergy", string? dealId = null,
        string seller = "org-seller-university", string buyer = "org-buyer-enterprise") =>
        new(dealId ?? NewDealId(), "ach-" + Guid.NewGuid().ToString("N"), "dem-" + Guid.NewGuid().ToString("N"), techField, region, seller, buyer);

    public static string NewDealId() => "mat-" + Guid.NewGuid().ToString("N");

    public static ContractContent Content(decimal amount, decimal tech, string signingDate, string type = "License", string? note = null) =>
        new ContractInput(type, amount, tech, "江南大学", "珠江电池有限公司", signingDate, note).Validate(Today);

    public static TradeEntry Entry(ContractView v) => new(v.Number, v.Content.SigningDate, v.Facts.TechField, v.Facts.RegionCode,
        v.Content.ContractAmount, v.Content.TechTransactionAmount);

    /// <summary>
    /// Makes PostgreSQL refuse every write of the trading index's grain state while it lasts: the index is down,
    /// everything else works. Dispose to lift it.
    /// </summary>
    public static async Task<IAsyncDisposable> RefuseIndexWritesAsync(string connectionString)
    {
        await ExecuteAsync(connectionString, """
            CREATE OR REPLACE FUNCTION tt_test_refuse_index() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'the trading index is down (test)'; END $$;
            CREATE TRIGGER tt_test_refuse_index BEFORE INSERT OR UPDATE ON orleansstorage FOR EACH ROW
            WHEN (NEW.graintypestring = 'trading-index') EXECUTE FUNCTION tt_test_refuse_index();
            """);
        return new Lift(connectionString);
    }

    sealed class Lift(string connectionString) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await ExecuteAsync(connectionString, "DROP TRIGGER IF EXISTS tt_test_refuse_index ON orleansstorage");
    }

    static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
