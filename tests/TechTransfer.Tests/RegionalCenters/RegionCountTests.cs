using Npgsql;
using TechTransfer.Listings;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.RegionalCenters;

/// <summary>
/// A center's live counts come from tt_region_listing_count, kept by a trigger on tt_listing (issue 20: a center no
/// longer loads every published id of its region): a row counts while it is Published in its region, and only a
/// real change of status, region or kind moves a count.
/// </summary>
public sealed class RegionCountTests
{
    [Fact]
    public async Task A_region_counts_what_enters_and_leaves_the_market_there_and_nothing_twice()
    {
        await using var database = await TestDatabase.CreateAsync("regioncount");
        await using var db = NpgsqlDataSource.Create(database.ConnectionString);
        var projection = new ListingProjection(db);
        async Task WriteAsync(string status, string region, int version, string id = "ach-count-1", string kind = "achievement")
        {
            await using var upsert = db.CreateCommand("""
                INSERT INTO tt_listing (id, kind, owner_org, status, title, province, region, tech_field, trl, updated_at, version, doc)
                VALUES ($1, $5, 'org-count', $2, '计数', '江苏', $3, 'NewEnergy', 5, now(), $4, '{}'::jsonb)
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, region = excluded.region, version = excluded.version
                WHERE tt_listing.version < excluded.version
                """);
            foreach (var value in new object[] { id, status, region, version, kind }) upsert.Parameters.Add(new() { Value = value });
            await upsert.ExecuteNonQueryAsync();
        }

        await WriteAsync("Draft", "yangtze-delta", 1);
        Assert.Equal((0, 0), await projection.PublishedCountsAsync("yangtze-delta"));
        await WriteAsync("Published", "yangtze-delta", 2);
        await WriteAsync("Published", "yangtze-delta", 2); // a replay: the version guard writes nothing
        await WriteAsync("Published", "yangtze-delta", 3); // an edit while on the market
        await WriteAsync("Published", "yangtze-delta", 1, id: "dem-count-1", kind: "demand");
        Assert.Equal((1, 1), await projection.PublishedCountsAsync("yangtze-delta"));

        await WriteAsync("Published", "greater-bay", 4); // moved province, and so region
        Assert.Equal((0, 1), await projection.PublishedCountsAsync("yangtze-delta"));
        Assert.Equal((1, 0), await projection.PublishedCountsAsync("greater-bay"));

        await WriteAsync("Withdrawn", "greater-bay", 5);
        await WriteAsync("Withdrawn", "greater-bay", 6);
        Assert.Equal((0, 0), await projection.PublishedCountsAsync("greater-bay"));
        Assert.Equal(1, await database.CountAsync(
            "SELECT count(*) FROM tt_listing WHERE status = 'Published' AND region = 'yangtze-delta'"));
    }
}
