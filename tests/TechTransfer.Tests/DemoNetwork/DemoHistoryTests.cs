using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Demo;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.DemoNetwork;

/// <summary>
/// The demo network as `scripts/start` seeds it (the catalogue and a year of deals, on a database of its own): the
/// deals' outcomes, contracts signed across the year, graded organizations and brokers, a price range that is not
/// 样本不足; and seeding again changes nothing.
/// </summary>
public sealed class DemoHistoryTests
{
    [Fact]
    public async Task The_demo_network_starts_with_a_year_of_deals_so_grades_and_price_ranges_mean_something_and_seeding_again_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync("demo_history");
        await using var host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: true);
        host.CreateClient().Dispose(); // starts the host, whose seeding runs in the background
        // 48 deals: 24 registered by the center and rated by both sides, 8 ended (rated once; one of them then registered by
        // the university itself, attributed to its broker), 8 negotiating, 8 never answered.
        async Task<(long, long, long, long, long)> OutcomesAsync() => (
            await database.CountAsync("SELECT count(*) FROM tt_deal WHERE stage = 'Registered'"),
            await database.CountAsync("SELECT count(*) FROM tt_deal WHERE stage = 'Closed'"),
            await database.CountAsync("SELECT count(*) FROM tt_deal WHERE stage = 'Negotiating'"),
            await database.CountAsync("SELECT count(*) FROM tt_deal WHERE stage = 'Matched' AND demand_interest AND NOT achievement_interest"),
            await database.CountAsync("SELECT count(*) FROM tt_deal_rating"));
        var expected = (25L, 7L, 8L, 8L, 56L);
        await Eventually.TrueAsync(async () => await OutcomesAsync() == expected, "the demo history", seconds: 240);
        var national = await host.SignedInAsync("demo-national");
        // Signed over the last year, one every week or so: in most of its months.
        Assert.InRange(await database.CountAsync("SELECT count(DISTINCT date_trunc('month', signing_date)) FROM tt_contract"), 9, 13);

        // The organization and the broker with the most deals are graded, not 新加入.
        var busiest = await database.TextAsync("""
            SELECT o FROM (SELECT achievement_org AS o FROM tt_deal UNION ALL SELECT demand_org FROM tt_deal) x GROUP BY o ORDER BY count(*) DESC, o LIMIT 1
            """);
        var organization = await national.GetFromJsonAsync<JsonElement>($"/api/organizations/{busiest}/credit");
        Assert.Contains(organization.GetProperty("grade").GetString(), new[] { "A", "B", "C", "D" });
        var broker = await database.TextAsync("SELECT claimed_by FROM tt_deal WHERE claimed_by IS NOT NULL GROUP BY claimed_by ORDER BY count(*) DESC, claimed_by LIMIT 1");
        var record = await national.GetFromJsonAsync<JsonElement>($"/api/brokers/{broker}/credit");
        Assert.Contains(record.GetProperty("grade").GetString(), new[] { "A", "B", "C", "D" });

        // Achievements of the field with the most contracts: some have a price range from their comparables.
        var field = await database.TextAsync("""
            SELECT l.tech_field FROM tt_contract c JOIN tt_listing l ON l.id = c.achievement_id GROUP BY l.tech_field ORDER BY count(*) DESC, 1 LIMIT 1
            """);
        var priced = 0;
        foreach (var id in await database.TextsAsync($"SELECT id FROM tt_listing WHERE kind = 'achievement' AND tech_field = '{field}' AND status = 'Published' ORDER BY id LIMIT 20"))
        {
            var valuation = await national.GetFromJsonAsync<JsonElement>($"/api/achievements/{id}/valuation");
            if (valuation.GetProperty("mid").ValueKind == JsonValueKind.Number) priced++;
        }
        Assert.True(priced > 0, $"no achievement of {field} has a price range");

        // One contest waits for a center's review, in that center's queue and national's.
        var contest = await database.TextAsync("SELECT deal_id FROM tt_deal_event WHERE action = 'contest:achievement'");
        var center = await database.TextAsync($"SELECT leading_region FROM tt_deal WHERE id = '{contest}'");
        var queue = await (await host.SignedInAsync(center == "yangtze-delta" ? "demo-center" : $"demo-center-{center}"))
            .GetFromJsonAsync<JsonElement>("/api/credit-contests");
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), c => c.GetProperty("dealId").GetString() == contest);

        // Every contract is some broker's, the one the university registered itself too.
        Assert.Equal(25, await database.CountAsync("SELECT count(*) FROM tt_contract WHERE broker IS NOT NULL"));
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM tt_deal_event WHERE action = 'register-own'"));

        // The trading hall's first trades: two 挂牌 sold to the demo enterprise, one open, an auction with its opening bid;
        // and 科技成果评价: one published, one waiting for demo-university's review.
        async Task<(long, long, long, long, long)> InstitutionsAsync() => (
            await database.CountAsync("SELECT count(*) FROM tt_trade WHERE kind = 'FixedPriceListing' AND status = 'Accepted'"),
            await database.CountAsync("SELECT count(*) FROM tt_trade WHERE kind = 'FixedPriceListing' AND status = 'Open'"),
            await database.CountAsync("SELECT count(*) FROM tt_trade WHERE kind = 'Auction' AND status = 'Open'"),
            await database.CountAsync("SELECT count(*) FROM tt_evaluation WHERE status = 'Published'"),
            await database.CountAsync("SELECT count(*) FROM tt_evaluation WHERE status = 'Open' AND 'acct-demo-university' = ANY (reviewers)"));
        await Eventually.TrueAsync(async () => await InstitutionsAsync() == (2, 1, 1, 1, 1), "the demo trades and evaluations", seconds: 60);
        var invitations = await (await host.SignedInAsync("demo-university")).GetFromJsonAsync<JsonElement>("/api/evaluations/invitations");
        Assert.Single(invitations.GetProperty("items").EnumerateArray());

        // Seeding again (a restart, another host) plays nothing twice.
        await host.Services.GetRequiredService<DemoHistory>().SeedAsync(CancellationToken.None);
        Assert.Equal(expected, await OutcomesAsync());
        Assert.Equal((2L, 1L, 1L, 1L, 1L), await InstitutionsAsync());
    }
}
