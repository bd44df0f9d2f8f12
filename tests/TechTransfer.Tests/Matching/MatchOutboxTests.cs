using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using TechTransfer.Matching;
using TechTransfer.Notifications;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Matching;

/// <summary>
/// A match is stored before it is announced. When the announcement never happens (the host crashed or PostgreSQL
/// went away between the two, and the retried publish ranked other partners higher), the outbox sweep announces it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MatchOutboxTests(ApiFixture api) : IAsyncLifetime
{
    readonly List<MatchListener> listeners = [];

    [Fact]
    public async Task A_published_match_leaves_nothing_outstanding()
    {
        var word = Samples.UniqueWord();
        var demand = await (await api.SignedInAsync("demo-enterprise")).CreatePublishedAsync("/api/demands",
            Samples.Demand($"寻求{word}极片缺陷检测技术").With("keywords", new JsonArray(word, "极片")));
        var achievement = await (await api.SignedInAsync("demo-university")).CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} 锂电池极片缺陷在线检测方法").With("keywords", new JsonArray(word, "极片", "缺陷检测")));

        var (exists, due) = await AnnouncementStateAsync(ListingMatcher.MatchId(achievement, demand));
        Assert.True(exists);
        Assert.Null(due);
    }

    [Fact]
    public async Task A_match_stored_but_never_announced_is_pushed_to_its_parties_once_and_then_no_longer_due()
    {
        // Two listings that do not match by themselves, so every MatchFound for the pair comes from the outbox.
        var (demand, achievement) = await UnrelatedPairAsync();
        var matchId = ListingMatcher.MatchId(achievement, demand);
        Assert.False((await AnnouncementStateAsync(matchId)).Exists);

        var enterprise = await ListenAsync("demo-enterprise");
        var university = await ListenAsync("demo-university");
        var otherBroker = await ListenAsync("demo-broker-southwest");

        // What a host that crashed between storing the match and announcing it leaves behind.
        await StoreUnannouncedAsync(matchId, achievement, demand);

        await Eventually.TrueAsync(() => enterprise.Contains(matchId) && university.Contains(matchId), "the outbox's MatchFound", seconds: 15);
        await Eventually.TrueAsync(async () => (await AnnouncementStateAsync(matchId)).Due is null, "the match no longer due", seconds: 15);
        await Task.Delay(2500); // more than one retry period: nothing is announced again
        Assert.Single(enterprise.Matches, m => m.MatchId == matchId);
        Assert.Single(university.Matches, m => m.MatchId == matchId);
        Assert.DoesNotContain(otherBroker.Matches, m => m.MatchId == matchId);

        var pushed = enterprise.Matches.Single(m => m.MatchId == matchId);
        Assert.Equal((achievement, demand, 61), (pushed.AchievementId, pushed.DemandId, pushed.Score));
        Assert.Contains("outbox", pushed.Explanation.MatchedTerms);
        Assert.StartsWith("寻求", pushed.DemandTitle);
    }

    [Fact]
    public async Task An_outstanding_match_whose_listing_left_the_market_is_dropped_without_a_push()
    {
        var (demand, achievement) = await UnrelatedPairAsync();
        var matchId = ListingMatcher.MatchId(achievement, demand);
        var enterprise = await ListenAsync("demo-enterprise");
        var university = await api.SignedInAsync("demo-university");
        Assert.True((await university.PostAsync($"/api/achievements/{achievement}/withdraw", null)).IsSuccessStatusCode);

        await StoreUnannouncedAsync(matchId, achievement, demand);

        await Eventually.TrueAsync(async () => (await AnnouncementStateAsync(matchId)).Due is null, "the match no longer due", seconds: 15);
        await Task.Delay(500);
        Assert.False(enterprise.Contains(matchId));
    }

    async Task<(string Demand, string Achievement)> UnrelatedPairAsync()
    {
        var word = Samples.UniqueWord();
        var other = Samples.UniqueWord();
        var demand = await (await api.SignedInAsync("demo-enterprise")).CreatePublishedAsync("/api/demands",
            Samples.Demand($"寻求{word}远洋渔获冷链保鲜服务")
                .With("description", "我公司需要远洋捕捞船上的渔获保鲜与冷链运输方案，要求全程温控。")
                .With("keywords", new JsonArray(word, "冷链"))
                .With("techField", "ResourcesEnvironment"));
        var achievement = await (await api.SignedInAsync("demo-university")).CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{other} 卫星姿态控制飞轮轴承设计")
                .With("summary", "本成果给出一种小卫星姿态控制用飞轮的轴承结构，寿命超过十五年。")
                .With("keywords", new JsonArray(other, "飞轮"))
                .With("techField", "Aerospace"));
        return (demand, achievement);
    }

    async Task StoreUnannouncedAsync(string matchId, string achievement, string demand)
    {
        var explanation = new MatchExplanation(["outbox"], "<em>a</em>", "<em>d</em>", [new MatchCriterion("TechField", false, "技术领域")], 0.5);
        await using var db = NpgsqlDataSource.Create(api.Database.ConnectionString);
        await using var command = db.CreateCommand("""
            INSERT INTO tt_match (id, achievement_id, demand_id, score, explanation, announce_due)
            VALUES ($1, $2, $3, 61, $4::jsonb, now() - interval '1 second')
            """);
        command.Parameters.Add(new() { Value = matchId });
        command.Parameters.Add(new() { Value = achievement });
        command.Parameters.Add(new() { Value = demand });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(explanation, Json.Options) });
        await command.ExecuteNonQueryAsync();
    }

    async Task<(bool Exists, DateTimeOffset? Due)> AnnouncementStateAsync(string matchId)
    {
        await using var db = NpgsqlDataSource.Create(api.Database.ConnectionString);
        await using var command = db.CreateCommand("SELECT announce_due FROM tt_match WHERE id = $1");
        command.Parameters.Add(new() { Value = matchId });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return (false, null);
        return (true, reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0));
    }

    async Task<MatchListener> ListenAsync(string account)
    {
        var listener = await MatchListener.StartAsync(api, await api.SignedInAsync(account));
        listeners.Add(listener);
        return listener;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var listener in listeners) await listener.DisposeAsync();
    }
}
