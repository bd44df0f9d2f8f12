using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Listings;

/// <summary>
/// Listing lists page by keyset (issue 20): a page's "next" continues exactly where it stopped, at any depth, without
/// a count; numbered pages (the first thousand rows) count up to 10,000.
/// </summary>
public sealed class ListingPagingTests
{
    [Fact]
    public async Task A_list_walked_by_its_next_cursor_returns_every_listing_once_in_order_even_when_all_were_written_in_the_same_microsecond()
    {
        await using var database = await TestDatabase.CreateAsync("keyset");
        await using var host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false);
        host.StartServer();
        await host.WaitUntilSeededAsync();
        var university = await host.SignedInAsync("demo-university");
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
            created.Add((await (await university.PostAsJsonAsync("/api/achievements", Samples.Achievement($"分页测试成果{i}"))).BodyAsync()).GetProperty("id").GetString()!);
        // Ties on updated_at: only the id orders them, and a cursor on the time alone would skip or repeat rows.
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var same = new NpgsqlCommand("UPDATE tt_listing SET updated_at = '2026-06-01T08:00:00.123456Z' WHERE owner_org = 'org-demo-university'", connection);
            Assert.Equal(7, await same.ExecuteNonQueryAsync());
        }

        const string list = "/api/achievements?owner=org-demo-university&status=Draft&size=3";
        var first = await (await university.GetAsync(list)).BodyAsync();
        Assert.Equal(7, first.GetProperty("total").GetInt64());
        Assert.False(first.GetProperty("totalCapped").GetBoolean());
        var walked = Ids(first);
        var next = first.GetProperty("next").GetString();
        var pages = 1;
        while (next is not null)
        {
            var page = await (await university.GetAsync($"{list}&after={next}")).BodyAsync();
            Assert.Equal(JsonValueKind.Null, page.GetProperty("total").ValueKind); // a cursor page does not count
            walked.AddRange(Ids(page));
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(created.OrderDescending(StringComparer.Ordinal), walked);
        // Numbered pages list the same rows in the same order.
        var numbered = new List<string>();
        for (var p = 1; p <= 3; p++) numbered.AddRange(Ids(await (await university.GetAsync($"{list}&page={p}")).BodyAsync()));
        Assert.Equal(walked, numbered);
        // A cursor does not widen what a viewer may see: drafts stay with their organization.
        var outsider = await (await host.CreateClient().GetAsync($"/api/achievements?owner=org-demo-university&status=Draft&size=3&after={first.GetProperty("next").GetString()}")).BodyAsync();
        Assert.Empty(Ids(outsider));

        // A list longer than the count goes: the count stops at 10,000 and says so.
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var many = new NpgsqlCommand("""
                INSERT INTO tt_listing (id, kind, owner_org, status, title, province, tech_field, trl, updated_at, version, doc)
                SELECT 'ach-keyset-' || g, 'achievement', 'org-demo-university', 'Draft', '草稿', '江苏', 'NewEnergy', 5, now(), 1, '{}'::jsonb
                FROM generate_series(1, 10000) g
                """, connection);
            await many.ExecuteNonQueryAsync();
        }
        var capped = await (await university.GetAsync("/api/achievements?owner=org-demo-university&status=Draft&size=1")).BodyAsync();
        Assert.Equal((10_000, true), (capped.GetProperty("total").GetInt64(), capped.GetProperty("totalCapped").GetBoolean()));
    }

    [Fact]
    public async Task A_cursor_that_is_not_one_or_given_with_a_page_number_is_refused_with_the_field_named()
    {
        await using var database = await TestDatabase.CreateAsync("keysetbad");
        await using var host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false);
        host.StartServer();
        await host.WaitUntilSeededAsync();
        var anonymous = host.CreateClient();

        foreach (var (query, field, rule) in new[]
        {
            ("after=not-a-cursor", "after", "invalid-format"),
            ("after=" + Convert.ToBase64String("x:y"u8.ToArray()), "after", "invalid-format"),
            ("page=2&after=MTc4MDMwNDQwMDEyMzQ1NjphY2gtMQ", "page", "page-or-after"),
        })
        {
            var response = await anonymous.GetAsync($"/api/achievements?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await response.BodyAsync()).GetProperty("errors")[0];
            Assert.Equal((field, rule), (error.GetProperty("field").GetString(), error.GetProperty("rule").GetString()));
            Assert.False(string.IsNullOrEmpty(error.GetProperty("zh").GetString()));
        }
    }

    static List<string> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
}
