using System.Reflection;
using Npgsql;

namespace TechTransfer.Database;

/// <summary>
/// Creates the database if needed and applies, once each and in order, the Orleans ADO.NET scripts
/// (Database/Orleans, the providers' contract) and the project's own (Database/TechTransfer).
/// Safe to run from several hosts at once: an advisory lock serialises them.
/// </summary>
public static class Migrator
{
    const long LockKey = 0x7454_7261_6E73; // "tTrans"

    public static async Task MigrateAsync(string connectionString, Action<string>? log = null, CancellationToken cancellation = default)
    {
        await CreateDatabaseIfMissingAsync(connectionString, log, cancellation);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellation);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockKey})", cancellation);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS tt_migration (
                    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellation);
            var applied = new HashSet<string>();
            await using (var read = new NpgsqlCommand("SELECT name FROM tt_migration", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellation))
                while (await reader.ReadAsync(cancellation)) applied.Add(reader.GetString(0));

            foreach (var (name, sql) in Scripts().Where(s => !applied.Contains(s.Name)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellation);
                // No 30 s limit: a script may move every row of a large table (008 rewrites the inboxes).
                await using (var apply = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 })
                    await apply.ExecuteNonQueryAsync(cancellation);
                await using (var record = new NpgsqlCommand("INSERT INTO tt_migration (name) VALUES ($1)", connection, transaction))
                {
                    record.Parameters.Add(new() { Value = name });
                    await record.ExecuteNonQueryAsync(cancellation);
                }
                await transaction.CommitAsync(cancellation);
                log?.Invoke($"applied {name}");
            }
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    /// <summary>The embedded scripts in the order they must run: Orleans first (numbered), then ours.</summary>
    public static IEnumerable<(string Name, string Sql)> Scripts()
    {
        var assembly = typeof(Migrator).Assembly;
        foreach (var name in assembly.GetManifestResourceNames()
                     .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
                     .OrderBy(n => n.StartsWith("Orleans/", StringComparison.Ordinal) ? 0 : 1)
                     .ThenBy(n => n, StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name, reader.ReadToEnd());
        }
    }

    static async Task CreateDatabaseIfMissingAsync(string connectionString, Action<string>? log, CancellationToken cancellation)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database ?? throw new InvalidOperationException("The connection string names no database.");
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellation);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new() { Value = database });
        if (await exists.ExecuteScalarAsync(cancellation) is not null) return;
        try
        {
            var quoted = "\"" + database.Replace("\"", "\"\"") + "\"";
            await ExecuteAsync(connection, $"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0", cancellation);
            log?.Invoke($"created database {database}");
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // another host created it a moment ago
        }
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
