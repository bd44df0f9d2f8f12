using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using TechTransfer.Subscriptions;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Subscriptions;

/// <summary>
/// Saved searches (/api/subscriptions) on the real host and PostgreSQL: a newly published listing a subscription
/// finds is one notice in its owner's inbox (and pushed live), whatever is retried; only the owner sees or deletes a
/// subscription; an account keeps at most 20; a text search could not search is refused with search's own hint.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SubscriptionApiTests(ApiFixture api)
{
    const string University = "demo-university";

    static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    static async Task<string> SubscribeAsync(HttpClient client, object body) =>
        (await OkAsync(await client.PostAsJsonAsync("/api/subscriptions", body), HttpStatusCode.Created)).GetProperty("id").GetString()!;

    static async Task<JsonElement[]> NoticesAsync(HttpClient client) =>
        [.. (await OkAsync(await client.GetAsync("/api/notifications?size=100"))).GetProperty("items").EnumerateArray()
            .Where(n => n.GetProperty("type").GetString() == nameof(SubscriptionHit))];

    [Fact]
    public async Task A_published_listing_a_subscription_finds_is_one_notice_in_the_owners_inbox_pushed_live_and_a_result()
    {
        var word = Samples.UniqueWord();
        var person = await FreshOrganization.CreateAsync(api.SignedInAsync);
        var subscriber = await api.SignedInAsync(person.Account);
        var id = await SubscribeAsync(subscriber, new { name = "极片检测成果", q = $"{word} 锂电池", kind = "achievement", field = "NewEnergy", trlMin = 5 });
        var pushed = new ConcurrentQueue<SubscriptionHit>();
        await using var hub = api.Host.HubConnection(subscriber.DefaultRequestHeaders.Authorization!.Parameter!);
        hub.On<SubscriptionHit>(nameof(SubscriptionHit), pushed.Enqueue);
        await hub.StartAsync();
        await hub.InvokeAsync<Dictionary<string, long>>("Listen");

        var university = await api.SignedInAsync(University);
        var found = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 锂电池极片缺陷检测方法"));
        // Not found: another text; the same text but a demand (kind); the same text below the TRL asked for.
        await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{Samples.UniqueWord()} 锂电池极片缺陷检测方法"));
        await (await api.SignedInAsync("demo-enterprise")).CreatePublishedAsync("/api/demands", Samples.Demand($"寻求{word}锂电池检测技术"));
        await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 锂电池极片检测样机").With("trl", 3));
        // Exactly what searching with the same criteria shows now.
        var search = await OkAsync(await api.Anonymous().GetAsync($"/api/search?q={Uri.EscapeDataString($"{word} 锂电池")}&kind=achievement&field=NewEnergy&trlMin=5"));
        Assert.Equal([found], search.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));

        // The publish answers once the notice is stored and in the inbox.
        var notices = await NoticesAsync(subscriber);
        Assert.True(notices.Length == 1, string.Join("\n", notices.Select(n => n.GetRawText())));
        var notice = notices[0];
        Assert.Equal((id, "极片检测成果", found, "achievement", $"{word} 锂电池极片缺陷检测方法", false),
            (notice.GetProperty("subscriptionId").GetString(), notice.GetProperty("subscriptionName").GetString(), notice.GetProperty("listingId").GetString(),
             notice.GetProperty("kind").GetString(), notice.GetProperty("title").GetString(), notice.GetProperty("read").GetBoolean()));
        Assert.False(string.IsNullOrEmpty(notice.GetProperty("publisher").GetString())); // the publishing organization's name
        Assert.DoesNotContain("contact", notice.GetRawText());
        await Eventually.TrueAsync(() => pushed.Any(p => p.ListingId == found), "the notice pushed over the hub");

        // A retried publish, and more than one outbox period: still one notice, nothing outstanding.
        Assert.Equal(HttpStatusCode.OK, (await university.PostAsync($"/api/achievements/{found}/publish", null)).StatusCode);
        await Task.Delay(2500);
        Assert.True((await NoticesAsync(subscriber)).Length == 1, "one notice after the retry");
        Assert.True(pushed.Count(p => p.ListingId == found) == 1, "one push after the retry");
        Assert.Equal([(found, false)], await HitsAsync(id));

        var results = await OkAsync(await subscriber.GetAsync($"/api/subscriptions/{id}/results"));
        Assert.Equal(1, results.GetProperty("total").GetInt32());
        Assert.Equal(found, results.GetProperty("items")[0].GetProperty("listingId").GetString());
        var list = await OkAsync(await subscriber.GetAsync("/api/subscriptions"));
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());
        var mine = list.GetProperty("items")[0];
        Assert.Equal((id, 1, found, $"{word} 锂电池", "NewEnergy", 5), (mine.GetProperty("id").GetString(), mine.GetProperty("found").GetInt32(),
            mine.GetProperty("recent")[0].GetProperty("listingId").GetString(), mine.GetProperty("criteria").GetProperty("q").GetString(),
            mine.GetProperty("criteria").GetProperty("field").GetString(), mine.GetProperty("criteria").GetProperty("trlMin").GetInt32()));

        // Its own organization's listings are news to nobody: the university's member saving the same search hears nothing of them.
        var own = await SubscribeAsync(university, new { q = $"{word} 锂电池" });
        var next = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{word} 锂电池检测第二代"));
        Assert.Empty(await HitsAsync(own));
        Assert.Equal(2, (await NoticesAsync(subscriber)).Length); // the other organization's member hears of it
        Assert.Equal(HttpStatusCode.NoContent, (await university.DeleteAsync($"/api/subscriptions/{own}")).StatusCode);

        // Withdrawn from the market: no longer among the results.
        Assert.Equal(HttpStatusCode.OK, (await university.PostAsync($"/api/achievements/{found}/withdraw", null)).StatusCode);
        var left = await OkAsync(await subscriber.GetAsync($"/api/subscriptions/{id}/results"));
        Assert.Equal((1, 1, next), (left.GetProperty("total").GetInt32(), left.GetProperty("items").GetArrayLength(),
            left.GetProperty("items")[0].GetProperty("listingId").GetString()));
    }

    [Fact]
    public async Task Only_the_owner_reads_lists_and_deletes_a_subscription()
    {
        var owner = await api.SignedInAsync((await FreshOrganization.CreateAsync(api.SignedInAsync)).Account);
        var other = await api.SignedInAsync((await FreshOrganization.CreateAsync(api.SignedInAsync)).Account);
        var id = await SubscribeAsync(owner, new { q = "锂电池 回收" });

        await (await other.GetAsync($"/api/subscriptions/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await other.GetAsync($"/api/subscriptions/{id}/results")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await other.DeleteAsync($"/api/subscriptions/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(0, (await OkAsync(await other.GetAsync("/api/subscriptions"))).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/subscriptions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsJsonAsync("/api/subscriptions", new { q = "锂电池" })).StatusCode);
        await (await owner.GetAsync("/api/subscriptions/not-an-id")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        Assert.Equal("锂电池 回收", (await OkAsync(await owner.GetAsync($"/api/subscriptions/{id}"))).GetProperty("name").GetString()); // unnamed: its text
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/subscriptions/{id}")).StatusCode);
        await (await owner.GetAsync($"/api/subscriptions/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await owner.DeleteAsync($"/api/subscriptions/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task An_account_keeps_at_most_20_subscriptions_paged_newest_first()
    {
        var owner = await api.SignedInAsync((await FreshOrganization.CreateAsync(api.SignedInAsync)).Account);
        // Saved side by side: the cap holds under concurrency too.
        var saves = await Task.WhenAll(Enumerable.Range(1, 24).Select(i => owner.PostAsJsonAsync("/api/subscriptions", new { name = $"订阅 {i}", q = "锂电池" })));
        Assert.Equal(20, saves.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in saves.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "subscription-limit");
        }
        var problem = await (await owner.PostAsJsonAsync("/api/subscriptions", new { q = "锂电池" })).BodyAsync();
        Assert.Equal("每个账号最多保存 20 个订阅，请先删除不再需要的订阅", problem.GetProperty("titleZh").GetString());
        Assert.Contains("at most 20", problem.GetProperty("title").GetString());

        var first = await OkAsync(await owner.GetAsync("/api/subscriptions?size=15"));
        var second = await OkAsync(await owner.GetAsync("/api/subscriptions?size=15&page=2"));
        Assert.Equal((20, 15, 5), (first.GetProperty("total").GetInt32(), first.GetProperty("items").GetArrayLength(), second.GetProperty("items").GetArrayLength()));
        var times = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(s => s.GetProperty("createdAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        await (await owner.GetAsync("/api/subscriptions?size=101")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");

        var gone = first.GetProperty("items")[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/subscriptions/{gone}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync("/api/subscriptions", new { q = "锂电池" })).StatusCode);
    }

    [Fact]
    public async Task A_text_without_a_searchable_word_is_refused_with_the_hint_search_gives()
    {
        var owner = await api.SignedInAsync((await FreshOrganization.CreateAsync(api.SignedInAsync)).Account);
        foreach (var q in new[] { "的 技术", "研究", "？！" })
        {
            var search = await OkAsync(await api.Anonymous().GetAsync($"/api/search?q={Uri.EscapeDataString(q)}"));
            var refused = await owner.PostAsJsonAsync("/api/subscriptions", new { q });
            var body = await refused.Content.ReadAsStringAsync();
            await refused.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            var error = JsonDocument.Parse(body).RootElement.GetProperty("errors")[0];
            Assert.Equal(("q", "not-searchable"), (error.GetProperty("field").GetString(), error.GetProperty("rule").GetString()));
            Assert.Equal(search.GetProperty("hint").GetProperty("zh").GetString(), error.GetProperty("zh").GetString());
            Assert.Equal(search.GetProperty("hint").GetProperty("en").GetString(), error.GetProperty("en").GetString());
        }
        foreach (var bad in new object[] { new { q = "" }, new { q = "锂电池", kind = "trade" }, new { q = "锂电池", trlMin = 10 },
            new { q = "锂电池", field = "Nonsense" }, new { q = "锂电池", province = "火星" }, new { q = "锂电池", region = "nowhere" },
            new { q = "锂电池", priceMax = -1 }, new { q = "锂电池", name = new string('名', 51) } })
            await (await owner.PostAsJsonAsync("/api/subscriptions", bad)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(0, (await OkAsync(await owner.GetAsync("/api/subscriptions"))).GetProperty("total").GetInt32()); // nothing half-written
    }

    [Fact]
    public async Task A_notice_stored_but_never_announced_is_delivered_once_by_the_outbox()
    {
        var word = Samples.UniqueWord();
        var subscriber = await api.SignedInAsync((await FreshOrganization.CreateAsync(api.SignedInAsync)).Account);
        var id = await SubscribeAsync(subscriber, new { name = "飞轮轴承", q = $"{word} 飞轮" });
        // Published before the subscription's text could find it: no notice of its own.
        var university = await api.SignedInAsync(University);
        var listing = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"卫星姿态控制飞轮轴承设计 {Samples.UniqueWord()}"));
        var withdrawn = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"卫星飞轮 {Samples.UniqueWord()}"));
        Assert.Equal(HttpStatusCode.OK, (await university.PostAsync($"/api/achievements/{withdrawn}/withdraw", null)).StatusCode);
        Assert.Empty(await NoticesAsync(subscriber));

        // What a host that crashed between storing the hits and announcing them leaves behind.
        await using (var db = NpgsqlDataSource.Create(api.Database.ConnectionString))
        await using (var command = db.CreateCommand("""
            INSERT INTO tt_subscription_hit (subscription_id, listing_id, announce_due)
            VALUES ($1, $2, now() - interval '1 second'), ($1, $3, now() - interval '1 second')
            """))
        {
            command.Parameters.Add(new() { Value = id });
            command.Parameters.Add(new() { Value = listing });
            command.Parameters.Add(new() { Value = withdrawn });
            await command.ExecuteNonQueryAsync();
        }

        await Eventually.TrueAsync(async () => (await NoticesAsync(subscriber)).Length > 0, "the outbox's notice", seconds: 15);
        await Eventually.TrueAsync(async () => (await HitsAsync(id)).All(h => !h.Due), "nothing due any more", seconds: 15);
        await Task.Delay(2500); // more than one retry period: nothing is announced again
        var notice = Assert.Single(await NoticesAsync(subscriber)); // the withdrawn listing is not announced
        Assert.Equal((listing, "飞轮轴承"), (notice.GetProperty("listingId").GetString(), notice.GetProperty("subscriptionName").GetString()));
        Assert.False(string.IsNullOrEmpty(notice.GetProperty("publisher").GetString()));
    }

    async Task<(string Listing, bool Due)[]> HitsAsync(string subscriptionId)
    {
        await using var db = NpgsqlDataSource.Create(api.Database.ConnectionString);
        await using var command = db.CreateCommand("SELECT listing_id, announce_due IS NOT NULL FROM tt_subscription_hit WHERE subscription_id = $1 ORDER BY listing_id");
        command.Parameters.Add(new() { Value = subscriptionId });
        await using var reader = await command.ExecuteReaderAsync();
        var hits = new List<(string, bool)>();
        while (await reader.ReadAsync()) hits.Add((reader.GetString(0), reader.GetBoolean(1)));
        return [.. hits];
    }
}
