using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Matching;

/// <summary>
/// Issue 20, "search that scales out": the market split into two partitions held by two hosts answers search,
/// matching, saved-search checks and text scores as a host holding the whole market does (same hits, same order,
/// same scores: the market's statistics, not each partition's), and says 503 when a partition has no holder left.
/// </summary>
public sealed class PartitionedSearchTests
{
    static Dictionary<string, string> Settings(string cluster, int partitions, string? held)
    {
        var settings = new Dictionary<string, string>
        {
            ["Orleans:ClusterId"] = cluster,
            ["Orleans:ServiceId"] = cluster,
            ["TechTransfer:Database:Hosts"] = "3",
            ["TechTransfer:Matching:Partitions"] = partitions.ToString(),
        };
        if (held is not null) settings["TechTransfer:Matching:HeldPartitions"] = held;
        return settings;
    }

    [Fact]
    public async Task Two_hosts_holding_one_partition_each_answer_as_one_host_holding_the_whole_market()
    {
        await using var database = await TestDatabase.CreateAsync("partitions");
        var cluster = "parts-" + Guid.NewGuid().ToString("N")[..8];
        var listings = await MarketAsync(database);
        // The whole market on one host (the demo's 478 listings), and a partition each on two more, in one cluster.
        var whole = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, Settings(cluster, 1, null));
        var first = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, Settings(cluster, 2, "0"));
        var second = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, Settings(cluster, 2, "1"));
        try
        {
            whole.StartServer();
            var market = whole.Services.GetRequiredService<IndexReplica>();
            await market.Ready;
            Assert.Equal(listings, market.Index.Count);
            first.StartServer();
            second.StartServer();
            var (a, b) = (first.Services.GetRequiredService<IndexReplica>(), second.Services.GetRequiredService<IndexReplica>());
            await Task.WhenAll(a.Ready, b.Ready);
            await Eventually.TrueAsync(() => a.Index.Count + b.Index.Count == market.Index.Count, "both partitions are loaded", 60);
            // Each holds only its partition, about half of the market.
            Assert.InRange(a.Index.Count, market.Index.Count / 4, market.Index.Count * 3 / 4);

            // Search through the scattering host's API: same page, total, facets and scores as the whole market's host.
            foreach (var query in (string[])["q=锂电池", "q=储能 电池&kind=achievement", "q=中药&sort=newest", "q=", "q=传感器&page=2&size=5", "q=智能制造&sort=price"])
            {
                var expected = await (await whole.CreateClient().GetAsync("/api/search?" + query)).BodyAsync();
                var scattered = await (await first.CreateClient().GetAsync("/api/search?" + query)).BodyAsync();
                Assert.Equal(expected.GetProperty("total").GetInt32(), scattered.GetProperty("total").GetInt32());
                Assert.Equal(Counts(expected.GetProperty("facets")), Counts(scattered.GetProperty("facets")));
                Assert.Equal(Hits(expected), Hits(scattered));
                Assert.Equal(expected.GetProperty("terms").GetRawText(), scattered.GetProperty("terms").GetRawText());
            }

            // Matching: every demo demand's matches (partners in either partition) as the whole market ranks them.
            var wholeSearch = whole.Services.GetRequiredService<MarketSearch>();
            var scatteredSearch = first.Services.GetRequiredService<MarketSearch>();
            var demands = (await wholeSearch.SearchAsync(new SearchRequest("", ListingKind.Demand, Take: 40))).Hits.Select(h => h.Document).ToList();
            Assert.True(demands.Count >= 20);
            var partnersFromOtherPartition = 0;
            foreach (var demand in demands)
            {
                var expected = await wholeSearch.FindMatchesAsync(demand);
                var scattered = await scatteredSearch.FindMatchesAsync(demand);
                // Word specificity counts listings per index segment; the partitions' segments are not the whole's, so a
                // score may move by a point. Which partners and their order do not.
                Assert.Equal(expected.Select(m => m.AchievementId), scattered.Select(m => m.AchievementId));
                Assert.All(expected.Zip(scattered), pair => Assert.InRange(pair.Second.Score - pair.First.Score, -1, 1));
                partnersFromOtherPartition += scattered.Count(m => b.Index.Layout.PartitionOf(m.AchievementId) == 1);
            }
            Assert.True(partnersFromOtherPartition > 0, "some partners are held by the other host only");

            // A saved search's check and price guidance's text scores.
            var listing = demands[0];
            string[] texts = [listing.Title, "完全无关的量子引力弦论", listing.Keywords.FirstOrDefault() ?? listing.Title];
            Assert.Equal(await wholeSearch.FindsAsync(listing.Id, texts), await scatteredSearch.FindsAsync(listing.Id, texts));
            var others = demands.Skip(1).Take(10).ToList();
            var (wholeScores, scatteredScores) = (await wholeSearch.TextScoresAsync(listing, others), await scatteredSearch.TextScoresAsync(listing, others));
            Assert.All(wholeScores.Zip(scatteredScores), pair => Assert.InRange(pair.Second - pair.First, -0.02, 0.02));

            // The second partition's only holder stops: search cannot answer for the whole market and says so.
            await second.DisposeAsync();
            await Eventually.TrueAsync(async () =>
                (await first.CreateClient().GetAsync("/api/search?q=锂电池")).StatusCode == HttpStatusCode.ServiceUnavailable, "search says 503", 60);
        }
        finally
        {
            await second.DisposeAsync();
            await first.DisposeAsync();
            await whole.DisposeAsync();
        }
    }

    /// <summary>The demo's listings, published into tt_listing as the listing grains' projection writes them.</summary>
    static async Task<int> MarketAsync(TestDatabase database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var count = 0;
        var published = DateTimeOffset.Parse("2026-01-01T00:00:00+08:00");
        foreach (var (kind, file) in new[] { ("achievement", "achievements.jsonl"), ("demand", "demands.jsonl") })
            foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Demo", file)))
            {
                var view = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
                var id = (kind == "achievement" ? "ach-part-" : "dem-part-") + count;
                var at = published.AddHours(count++);
                (view["id"], view["version"], view["ownerOrganizationId"], view["publishedAt"]) = (id, 1, "org-part-" + count % 7, at.ToString("O"));
                await using var insert = new Npgsql.NpgsqlCommand("""
                    INSERT INTO tt_listing (id, kind, owner_org, status, title, province, tech_field, trl, price, updated_at, version, doc)
                    VALUES ($1, $2, $3, 'Published', $4, $5, $6, $7, $8, $9, 1, $10::jsonb)
                    """, connection);
                foreach (var value in (object[])[id, kind, "org-part-" + count % 7, (string)view["title"]!, (string)view["province"]!,
                    (string)view["techField"]!, (int)(view["trl"] ?? view["minTrl"])!, (object?)(decimal?)(view["askingPrice"] ?? view["budgetMax"]) ?? DBNull.Value,
                    at.ToUniversalTime(), view.ToJsonString()])
                    insert.Parameters.Add(new() { Value = value });
                await insert.ExecuteNonQueryAsync();
            }
        return count;
    }

    static List<string> Counts(JsonElement facets) =>
        [.. facets.EnumerateObject().SelectMany(f => f.Value.EnumerateObject().Select(v => $"{f.Name}/{v.Name}={v.Value}")).Order(StringComparer.Ordinal)];

    /// <summary>
    /// The page's hits and scores; hits that tie on the order (relevance, price or date, and score) in id order: one
    /// index breaks ties by its internal document number, a scattered search by id.
    /// </summary>
    static List<(string Id, string Score)> Hits(JsonElement page)
    {
        var hits = page.GetProperty("items").EnumerateArray().Select(i => (
            Id: i.GetProperty("id").GetString()!, Score: i.GetProperty("relevance").GetSingle().ToString("G5"),
            Tie: page.GetProperty("sort").GetString() switch
            {
                "price" => i.GetProperty("price").ToString(),
                "newest" => i.GetProperty("publishedAt").ToString(),
                _ => "",
            })).ToList();
        var result = new List<(string, string)>();
        for (var start = 0; start < hits.Count;)
        {
            var end = start;
            while (end < hits.Count && (hits[end].Score, hits[end].Tie) == (hits[start].Score, hits[start].Tie)) end++;
            result.AddRange(hits[start..end].OrderBy(h => h.Id, StringComparer.Ordinal).Select(h => (h.Id, h.Score)));
            start = end;
        }
        return result;
    }
}
