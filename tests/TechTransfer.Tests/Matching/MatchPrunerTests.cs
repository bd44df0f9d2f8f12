using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Matching;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Tests.Reputation;

namespace TechTransfer.Tests.Matching;

/// <summary>
/// tt_match keeps what the market holds (issue 20): through the real host and PostgreSQL, a match whose achievement
/// left the market over 30 days ago is pruned; one that became a deal, and one whose achievement left yesterday, stay.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MatchPrunerTests(ApiFixture api)
{
    [Fact]
    public async Task Matches_of_a_listing_off_the_market_past_the_grace_are_pruned_unless_the_pair_became_a_deal()
    {
        var university = await FreshOrganization.CreateAsync(api.SignedInAsync, "University");
        var enterprise = await FreshOrganization.CreateAsync(api.SignedInAsync, "Enterprise");
        var (gone, dealt, recent) = (await ReputationApiTests.MatchAsync(api.SignedInAsync, university, enterprise),
            await ReputationApiTests.MatchAsync(api.SignedInAsync, university, enterprise),
            await ReputationApiTests.MatchAsync(api.SignedInAsync, university, enterprise));
        var buyer = await api.SignedInAsync(enterprise.Account);
        (await buyer.PostAsJsonAsync($"/api/deals/{dealt}/interest", new { })).EnsureSuccessStatusCode();

        var seller = await api.SignedInAsync(university.Account);
        foreach (var match in new[] { gone, dealt, recent })
        {
            var achievement = await api.Database.TextAsync($"SELECT achievement_id FROM tt_match WHERE id = '{match}'");
            (await seller.PostAsync($"/api/achievements/{achievement}/withdraw", null)).EnsureSuccessStatusCode();
        }
        // Announced (a due announcement is never pruned), then two of the three left the market 31 days ago.
        string In(params string[] ids) => string.Join(", ", ids.Select(id => $"'{id}'"));
        await Eventually.TrueAsync(async () => await api.Database.CountAsync(
            $"SELECT count(*) FROM tt_match WHERE id IN ({In(gone, dealt, recent)}) AND announce_due IS NULL") == 3, "the announcements", seconds: 30);
        await api.Database.CountAsync($"""
            WITH aged AS (UPDATE tt_listing SET updated_at = now() - interval '31 days'
                          WHERE id IN (SELECT achievement_id FROM tt_match WHERE id IN ({In(gone, dealt)})) RETURNING 1)
            SELECT count(*) FROM aged
            """);

        var pruned = await api.Host.Services.GetRequiredService<MatchPruner>().PruneAsync();

        Assert.True(pruned >= 1);
        Assert.Equal(0, await api.Database.CountAsync($"SELECT count(*) FROM tt_match WHERE id = '{gone}'"));
        Assert.Equal(2, await api.Database.CountAsync($"SELECT count(*) FROM tt_match WHERE id IN ({In(dealt, recent)})"));
        // The deal still opens: its grain reads the match's facts.
        Assert.True((await buyer.GetAsync($"/api/deals/{dealt}")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_sweep_reads_only_what_left_the_market_since_the_last_one_and_a_restarted_host_reads_everything_once()
    {
        var university = await FreshOrganization.CreateAsync(api.SignedInAsync, "University");
        var enterprise = await FreshOrganization.CreateAsync(api.SignedInAsync, "Enterprise");
        var match = await ReputationApiTests.MatchAsync(api.SignedInAsync, university, enterprise);
        var achievement = await api.Database.TextAsync($"SELECT achievement_id FROM tt_match WHERE id = '{match}'");
        (await (await api.SignedInAsync(university.Account)).PostAsync($"/api/achievements/{achievement}/withdraw", null)).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => await api.Database.CountAsync(
            $"SELECT count(*) FROM tt_match WHERE id = '{match}' AND announce_due IS NULL") == 1, "the announcement", seconds: 30);

        // This host swept a moment ago; a listing that (as the clock says) left the market long before that sweep's
        // window is not read again. In production updated_at only moves forward, so nothing is missed this way.
        var pruner = ActivatorUtilities.CreateInstance<MatchPruner>(api.Host.Services);
        await pruner.PruneAsync();
        await api.Database.CountAsync($"WITH aged AS (UPDATE tt_listing SET updated_at = now() - interval '45 days' WHERE id = '{achievement}' RETURNING 1) SELECT count(*) FROM aged");
        await pruner.PruneAsync();
        Assert.Equal(1, await api.Database.CountAsync($"SELECT count(*) FROM tt_match WHERE id = '{match}'"));

        // A host that starts afresh reads everything off the market once: the match goes.
        await ActivatorUtilities.CreateInstance<MatchPruner>(api.Host.Services).PruneAsync();
        Assert.Equal(0, await api.Database.CountAsync($"SELECT count(*) FROM tt_match WHERE id = '{match}'"));
    }
}
