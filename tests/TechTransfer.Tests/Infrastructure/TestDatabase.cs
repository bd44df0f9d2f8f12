using Npgsql;
using TechTransfer.Database;

namespace TechTransfer.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated PostgreSQL database for one fixture, dropped afterwards. The server comes from
/// ConnectionStrings__techtransfer (scripts/test sets it); without it the run fails rather than skips.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    TestDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var server = Environment.GetEnvironmentVariable("ConnectionStrings__techtransfer")
            ?? throw new InvalidOperationException(
                "ConnectionStrings__techtransfer is not set: run the tests with scripts/test, which starts PostgreSQL.");
        var builder = new NpgsqlConnectionStringBuilder(server)
        {
            Database = $"tt_test_{purpose}_{DateTime.UtcNow:MMddHHmmss}_{Random.Shared.Next(10_000):D4}",
        };
        var database = new TestDatabase(builder.ConnectionString);
        await Migrator.MigrateAsync(database.ConnectionString);
        return database;
    }

    public async Task<long> CountAsync(string sql) => Convert.ToInt64(await ScalarAsync(sql));

    public async Task<string> TextAsync(string sql) => (string)(await ScalarAsync(sql))!;

    public async Task<List<string>> TextsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var texts = new List<string>();
        while (await reader.ReadAsync()) texts.Add(reader.GetString(0));
        return texts;
    }

    async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        var name = builder.Database!;
        builder.Database = "postgres";
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        // FORCE may not terminate an autovacuum worker that is analysing the fresh tables (42501: it runs as no role
        // of ours); the worker is done in moments.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }
}
