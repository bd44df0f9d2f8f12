using TechTransfer.Database;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Database;

public sealed class MigratorTests
{
    [Fact]
    public async Task Migrating_twice_is_harmless_and_leaves_every_query_the_orleans_providers_need()
    {
        await using var database = await TestDatabase.CreateAsync("migrate");
        var applied = new List<string>();
        await Migrator.MigrateAsync(database.ConnectionString, applied.Add);
        Assert.Empty(applied);
        Assert.Equal(Migrator.Scripts().Count(), await database.CountAsync("SELECT count(*) FROM tt_migration"));
        foreach (var key in new[] { "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
                     "InsertMembershipKey", "UpdateIAmAlivetimeKey", "CleanupDefunctSiloEntriesKey", "UpsertReminderRowKey" })
            Assert.Equal(1, await database.CountAsync($"SELECT count(*) FROM orleansquery WHERE querykey = '{key}'"));
    }

    [Fact]
    public async Task Hosts_migrating_at_the_same_moment_apply_each_script_once()
    {
        await using var database = await TestDatabase.CreateAsync("race");
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Migrator.MigrateAsync(database.ConnectionString)));
        Assert.Equal(Migrator.Scripts().Count(), await database.CountAsync("SELECT count(*) FROM tt_migration"));
    }
}
