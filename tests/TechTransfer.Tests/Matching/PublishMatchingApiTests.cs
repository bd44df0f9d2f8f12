using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TechTransfer.Notifications;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Matching;

/// <summary>Through the running host: a publish that fits nothing pushes nothing and says so; one that fits is pushed with its reason.</summary>
[Collection(ApiCollection.Name)]
public sealed class PublishMatchingApiTests(ApiFixture api) : IAsyncLifetime
{
    readonly List<MatchListener> listeners = [];

    [Fact]
    public async Task A_demand_that_fits_nothing_pushes_nothing_and_its_publisher_is_told_so()
    {
        var word = Samples.UniqueWord();
        var enterprise = await api.SignedInAsync("demo-enterprise");
        var pushed = await ListenAsync(enterprise);
        var created = await enterprise.PostAsJsonAsync("/api/demands", Samples.Demand($"寻求{word}古籍纸张批量脱酸加固技术")
            .With("description", "本馆藏有大量清代刻本，纸张酸化发脆，需要可批量处理的古籍脱酸与加固方法，处理后 pH 值不低于 7.5。")
            .With("keywords", new JsonArray(word, "古籍脱酸", "纸张加固")));
        var id = (await created.BodyAsync()).GetProperty("id").GetString()!;

        var published = await (await enterprise.PostAsync($"/api/demands/{id}/publish", null)).BodyAsync();

        var matching = published.GetProperty("matching");
        Assert.Equal(0, matching.GetProperty("found").GetInt32());
        Assert.Equal("暂无匹配，有新成果时会通知您", matching.GetProperty("zh").GetString());
        Assert.Equal("Published", published.GetProperty("status").GetString());
        Assert.Empty((await (await enterprise.GetAsync($"/api/demands/{id}/matches")).BodyAsync()).EnumerateArray());
        await Task.Delay(1000); // a push would arrive in ~0.2 s
        Assert.DoesNotContain(pushed, m => m.DemandId == id);
    }

    [Fact]
    public async Task A_fitting_pair_is_pushed_with_its_reason_and_only_meaningful_terms()
    {
        var word = Samples.UniqueWord();
        var enterprise = await api.SignedInAsync("demo-enterprise");
        var pushed = await ListenAsync(enterprise);
        var demand = await enterprise.CreatePublishedAsync("/api/demands",
            Samples.Demand($"寻求{word}极片缺陷检测技术").With("keywords", new JsonArray(word, "极片")));
        var university = await api.SignedInAsync("demo-university");
        var created = await university.PostAsJsonAsync("/api/achievements",
            Samples.Achievement($"{word} 锂电池极片缺陷在线检测方法").With("keywords", new JsonArray(word, "极片", "缺陷检测")));
        var achievement = (await created.BodyAsync()).GetProperty("id").GetString()!;
        var published = await (await university.PostAsync($"/api/achievements/{achievement}/publish", null)).BodyAsync();
        Assert.True(published.GetProperty("matching").GetProperty("found").GetInt32() >= 1);

        await Eventually.TrueAsync(() => pushed.Any(m => m.DemandId == demand && m.AchievementId == achievement), "the MatchFound push", seconds: 10);
        var match = pushed.First(m => m.DemandId == demand && m.AchievementId == achievement);
        Assert.InRange(match.Score, new TechTransfer.Matching.MatchingOptions().Threshold, 100);
        Assert.StartsWith("双方均涉及", match.Explanation.Reason);
        Assert.Contains(word, match.Explanation.MatchedTerms);
        Assert.All(match.Explanation.MatchedTerms, t => Assert.True(TechTransfer.Matching.MeaningfulTerms.IsMeaningful(t), t));
    }

    async Task<ConcurrentQueue<MatchFound>> ListenAsync(HttpClient client)
    {
        var listener = await MatchListener.StartAsync(api, client);
        listeners.Add(listener);
        return listener.Matches;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var listener in listeners) await listener.DisposeAsync();
    }
}
