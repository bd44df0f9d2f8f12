using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.TestingHost;
using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Matching;

/// <summary>
/// The change feed from tt_listing to every host's search replica must be exact: a write that commits late, after
/// any number of later writes, still reaches every replica; and a write that changes nothing costs the feed nothing.
/// Each test has its own database and cluster, so the other tests' listings cannot blur what the replicas hold.
/// </summary>
public sealed class ChangeFeedTests
{
    static readonly Actor University = new("acct-feed-university", "org-feed-university", OrganizationKind.University, Role.Member);

    static AchievementContent Content(string title) => new(title, "本成果已完成中试验证，可许可实施。", ["锂电池极片缺陷在线检测"],
        TechField.AdvancedManufacturing, 6, [TransferMode.License], 80m, "江苏", [], new("王老师", "025-00000000", null));

    [Fact]
    public async Task A_listing_whose_write_commits_after_ten_thousand_later_writes_is_searchable_on_every_host()
    {
        await using var database = await TestDatabase.CreateAsync("feed");
        var cluster = await ClusterFixture.StartAsync(database.ConnectionString, Guid.NewGuid().ToString("N"));
        try
        {
            var replicas = cluster.Silos.Select(s => ((InProcessSiloHandle)s).SiloHost.Services.GetRequiredService<IndexReplica>()).ToList();
            foreach (var replica in replicas) await replica.Ready;
            var slow = ListingIds.NewAchievement();
            await cluster.Client.GetGrain<IAchievementGrain>(slow).CreateAsync(University, Content("慢提交的锂电池极片检测成果"));

            // The slow writer: publishes the listing's row in a transaction that stays open while everything else commits.
            await using var held = new NpgsqlConnection(database.ConnectionString);
            await held.OpenAsync();
            await using var transaction = await held.BeginTransactionAsync();
            await using (var publish = new NpgsqlCommand("""
                UPDATE tt_listing SET status = 'Published', version = version + 1,
                    doc = jsonb_set(jsonb_set(doc, '{status}', '"Published"'), '{version}', to_jsonb(version + 1))
                WHERE id = $1
                """, held, transaction))
            {
                publish.Parameters.Add(new() { Value = slow });
                Assert.Equal(1, await publish.ExecuteNonQueryAsync());
            }

            // Ten thousand other writes commit meanwhile, and the replicas follow them.
            var others = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                var other = ListingIds.NewAchievement();
                await cluster.Client.GetGrain<IAchievementGrain>(other).CreateAsync(University, Content($"其他成果{i}"));
                others.Add(other);
            }
            await using (var writer = new NpgsqlConnection(database.ConnectionString))
            {
                await writer.OpenAsync();
                for (var batch = 0; batch < 20; batch++)
                {
                    await using (var insert = new NpgsqlCommand("""
                        INSERT INTO tt_listing (id, kind, owner_org, status, title, province, tech_field, trl, updated_at, version, doc)
                        SELECT 'ach-feed-' || $1 || '-' || g, 'achievement', 'org-feed-other', 'Draft', '草稿', '江苏', 'AdvancedManufacturing', 5,
                               now(), 1, '{}'::jsonb
                        FROM generate_series(1, 500) g
                        """, writer))
                    {
                        insert.Parameters.Add(new() { Value = batch.ToString() });
                        await insert.ExecuteNonQueryAsync();
                    }
                    // Browsing: grain activations and upserts that change nothing.
                    foreach (var other in others) await cluster.Client.GetGrain<IAchievementGrain>(other).GetAsync(University);
                    await using (var noop = new NpgsqlCommand(NoOpUpsert, writer))
                    {
                        noop.Parameters.Add(new() { Value = $"ach-feed-{batch}-1" });
                        for (var n = 0; n < 25; n++) await noop.ExecuteNonQueryAsync();
                    }
                    foreach (var replica in replicas) await replica.CatchUpAsync();
                }
            }
            Assert.Equal(10_000, await database.CountAsync("SELECT count(*) FROM tt_listing WHERE owner_org = 'org-feed-other'"));

            await transaction.CommitAsync();

            foreach (var replica in replicas)
                await Eventually.TrueAsync(async () =>
                {
                    await replica.CatchUpAsync();
                    var (hits, _, _) = replica.Index.Search("", new SearchFilter(ListingKind.Achievement), 0, 10);
                    return hits.Any(h => h.Document.Id == slow);
                }, $"the late-committed listing {slow} searchable on every host", seconds: 5);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_write_that_changes_nothing_and_a_plain_activation_take_no_sequence_number_and_send_no_notification()
    {
        await using var database = await TestDatabase.CreateAsync("feednoop");
        var cluster = await ClusterFixture.StartAsync(database.ConnectionString, Guid.NewGuid().ToString("N"), silos: 1);
        try
        {
            var id = ListingIds.NewAchievement();
            var grain = cluster.Client.GetGrain<IAchievementGrain>(id);
            await grain.CreateAsync(University, Content("无变化写入的成果"));
            await grain.PublishAsync(University);

            await using var listener = new NpgsqlConnection(database.ConnectionString);
            await listener.OpenAsync();
            var notified = 0;
            listener.Notification += (_, _) => Interlocked.Increment(ref notified);
            await using (var listen = new NpgsqlCommand("LISTEN tt_listing", listener)) await listen.ExecuteNonQueryAsync();
            var before = await database.CountAsync("SELECT last_value FROM tt_listing_seq");
            var rowSeq = await database.CountAsync($"SELECT seq FROM tt_listing WHERE id = '{id}'");

            // A plain read on a fresh activation (its activation checks the projection) ...
            await cluster.DeactivateAsync(grain);
            Assert.NotNull(await grain.GetAsync(University));
            // ... and the projection's write replayed with the version the row already has.
            await using (var source = NpgsqlDataSource.Create(database.ConnectionString))
            {
                var projection = new ListingProjection(source);
                var row = await ReadRowAsync(source, id);
                for (var n = 0; n < 10; n++) await projection.UpsertAsync(row);
            }
            await listener.WaitAsync(TimeSpan.FromSeconds(1));

            Assert.Equal(before, await database.CountAsync("SELECT last_value FROM tt_listing_seq"));
            Assert.Equal(rowSeq, await database.CountAsync($"SELECT seq FROM tt_listing WHERE id = '{id}'"));
            Assert.Equal(0, Volatile.Read(ref notified));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }

    static async Task<ListingRow> ReadRowAsync(NpgsqlDataSource source, string id)
    {
        await using var command = source.CreateCommand("""
            SELECT owner_org, status, title, province, region, tech_field, trl, price, updated_at, version, external_id, doc::text
            FROM tt_listing WHERE id = $1
            """);
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new ListingRow(id, ListingKind.Achievement, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            Text(4), reader.GetString(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetDecimal(7),
            reader.GetFieldValue<DateTimeOffset>(8), reader.GetInt32(9), Text(10), System.Text.Json.JsonDocument.Parse(reader.GetString(11)).RootElement.Clone());
    }

    /// <summary>An upsert whose version guard refuses: browsing load as the projection wrote it before (issue 17).</summary>
    const string NoOpUpsert = """
        INSERT INTO tt_listing (id, kind, owner_org, status, title, province, region, tech_field, trl, price, updated_at, version, external_id, doc)
        SELECT id, kind, owner_org, status, title, province, region, tech_field, trl, price, updated_at, version, external_id, doc
        FROM tt_listing WHERE id = $1
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version, doc = excluded.doc
        WHERE tt_listing.version < excluded.version
        """;
}
