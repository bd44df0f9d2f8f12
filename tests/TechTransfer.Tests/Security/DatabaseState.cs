using Npgsql;

namespace TechTransfer.Tests.Security;

/// <summary>
/// A checksum per table of everything the platform keeps (the tt_* tables and Orleans grain state and reminders),
/// to prove that a refused request changed nothing. Membership rows are left out: silos write them on their own.
/// </summary>
public static class DatabaseState
{
    // tt_idempotency keeps the answers of accepted POSTs for their retries (a refused one keeps nothing: IdempotencyTests).
    static readonly string[] Skipped = ["orleansmembershiptable", "orleansmembershipversiontable", "orleansquery", "tt_migration", "tt_idempotency"];

    // A contract registry trims its delivered outbox on its own reminder, whenever that fires; what it issues is
    // still compared, in each contract's own state and in tt_* rows.
    static readonly string[] SkippedGrainTypes = ["contract-registry"];

    public static async Task<IReadOnlyDictionary<string, string>> SnapshotAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                if (!Skipped.Contains(reader.GetString(0))) tables.Add(reader.GetString(0));

        var sums = new SortedDictionary<string, string>();
        foreach (var table in tables)
        {
            // Grain state per grain type, so a difference names the grain that wrote.
            var group = table == "orleansstorage" ? "graintypestring" : "''";
            await using var sum = new NpgsqlCommand($"""
                SELECT {group}, count(*) || ':' || md5(string_agg(md5(t::text), '' ORDER BY md5(t::text)))
                FROM "{table}" t GROUP BY 1
                """, connection);
            await using var reader = await sum.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                if (!SkippedGrainTypes.Contains(reader.GetString(0)))
                    sums[reader.GetString(0) is { Length: > 0 } type ? $"{table}/{type}" : table] = reader.GetString(1);
        }
        return sums;
    }

    /// <summary>
    /// A snapshot taken once the database has stopped moving (two equal readings in a row), so writes still
    /// settling from the arrangement are not blamed on the request under test.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> SettledAsync(string connectionString)
    {
        var previous = await SnapshotAsync(connectionString);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await Task.Delay(40);
            var current = await SnapshotAsync(connectionString);
            if (Same(previous, current)) return current;
            previous = current;
        }
        throw new TimeoutException("The database kept changing for 2 s with no request in flight.");
    }

    public static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && v == e.Value);

    public static string Diff(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        string.Join(", ", before.Keys.Union(after.Keys).Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k)));
}
