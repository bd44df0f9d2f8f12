using Microsoft.Extensions.Configuration;
using Npgsql;

namespace TechTransfer.Database;

/// <summary>
/// Every host's share of PostgreSQL's connections, so that all hosts together never ask for more than the server
/// has: <c>Hosts × (Orleans pool + data-source pool) + Reserve ≤ max_connections − superuser_reserved_connections</c>.
/// Without it each host opened up to two pools of 100 (Npgsql's default) against a server of 100, and under load
/// PostgreSQL refused connections (53300) and grain activations failed instead of waiting (issue 17, item 14).
/// With it a busy host queues for a connection of its own pool (Npgsql waits up to the connection string's
/// Timeout) and the server always keeps the reserve for operators, migrations and the CLI.
/// </summary>
public sealed record ConnectionBudget(int MaxConnections, int SuperuserReserved, int Hosts, int Reserve)
{
    /// <summary>Below this a host cannot hold its change-feed listener, the inbox relay's and still serve grains.</summary>
    public const int MinimumPerHost = 8;

    public int PerHost => (MaxConnections - SuperuserReserved - Reserve) / Hosts;

    /// <summary>Orleans' providers (grain state, membership, reminders): under load mostly one read or write per activation.</summary>
    public int OrleansPool => PerHost / 2;

    /// <summary>The host's own data source: projections, matches, inboxes, idempotency, the feed's LISTEN connection.</summary>
    public int DataSourcePool => PerHost - OrleansPool;

    public const string Section = "TechTransfer:Database";

    /// <summary>
    /// Reads the server's limits, checks the budget and sets both pools' sizes in the configuration (the Orleans
    /// connection string and <c>TechTransfer:Database:DataSourcePoolSize</c>). Fails loudly when the hosts cannot
    /// fit: a host that started anyway would take the others down with it.
    /// </summary>
    public static async Task<ConnectionBudget> ApplyAsync(IConfigurationManager configuration, string connectionName)
    {
        var connectionString = configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"No connection string '{connectionName}'.");
        var section = configuration.GetSection(Section);
        var hosts = section.GetValue("Hosts", 1);
        var reserve = section.GetValue("Reserve", 10);
        if (hosts < 1) throw new InvalidOperationException($"{Section}:Hosts must be at least 1 (it is {hosts}).");

        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(unpooled.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var budget = new ConnectionBudget(reader.GetInt32(0), reader.GetInt32(1), hosts, reserve);
        budget.Check();

        configuration[$"ConnectionStrings:{connectionName}"] =
            new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = budget.OrleansPool }.ConnectionString;
        configuration[$"{Section}:DataSourcePoolSize"] = budget.DataSourcePool.ToString();
        return budget;
    }

    public void Check()
    {
        if (PerHost < MinimumPerHost)
            throw new InvalidOperationException(
                $"PostgreSQL allows {MaxConnections} connections ({SuperuserReserved} reserved for superusers); {Hosts} host(s) plus a reserve " +
                $"of {Reserve} leave {PerHost} per host, fewer than the {MinimumPerHost} a host needs. Raise max_connections, or lower " +
                $"{Section}:Hosts / {Section}:Reserve.");
    }

    public override string ToString() =>
        $"max_connections {MaxConnections} − {SuperuserReserved} superuser − {Reserve} reserve = {Hosts} host(s) × {PerHost} " +
        $"(Orleans {OrleansPool} + data source {DataSourcePool})";
}
