using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TechTransfer.Notifications;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Network;

/// <summary>The notification centre (GET /api/notifications …): the streams the account reads, paged, read and unread.</summary>
[Collection(ApiCollection.Name)]
public sealed class NotificationApiTests(ApiFixture api)
{
    /// <summary>Stores trade notices from..from+count−1 in <paramref name="streams"/>, one after another, as the notifier would.</summary>
    async Task AppendAsync(int from, int count, params string[] streams)
    {
        var grains = api.Host.Services.GetRequiredService<IGrainFactory>();
        for (var i = from; i < from + count; i++)
        {
            var draft = NotificationDraft.Of($"test:{string.Join(',', streams)}:{i}",
                new TradeNotice("fpl-" + Guid.NewGuid().ToString("N"), "FixedPriceListing", $"通知 {i}", "Sold", 10m + i, null, DateTimeOffset.UtcNow)) with { Streams = streams };
            await Task.WhenAll(streams.Select(s => grains.GetGrain<IInboxGrain>(s).AppendAsync(draft)));
        }
    }

    static long[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("notificationId").GetInt64())];

    static long[] Range(long from, long down) => [.. Enumerable.Range(0, (int)(from - down + 1)).Select(i => from - i)];

    [Fact]
    public async Task The_centre_pages_the_accounts_stored_events_newest_first_and_keeps_read_and_unread_on_the_server()
    {
        var person = await FreshOrganization.CreateAsync(api.SignedInAsync);
        var own = Inboxes.User(person.AccountId);
        await AppendAsync(1, 45, own);
        // Event 1 happened long ago: the centre shows when it was stored, not when it was read.
        var then = new DateTimeOffset(2026, 1, 5, 2, 7, 0, TimeSpan.Zero);
        await using (var db = NpgsqlDataSource.Create(api.Database.ConnectionString))
        await using (var backdate = db.CreateCommand("UPDATE tt_notification SET created_at = $1 WHERE inbox = $2 AND id = 1"))
        {
            backdate.Parameters.Add(new() { Value = then });
            backdate.Parameters.Add(new() { Value = Inboxes.User(person.AccountId) });
            Assert.Equal(1, await backdate.ExecuteNonQueryAsync());
        }
        var client = await api.SignedInAsync(person.Account);
        async Task<JsonElement> GetAsync(string path)
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {await response.Content.ReadAsStringAsync()}");
            return await response.BodyAsync();
        }
        async Task<JsonElement> PostAsync(string path, object? body = null)
        {
            var response = await client.PostAsJsonAsync(path, body ?? new { });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {await response.Content.ReadAsStringAsync()}");
            return await response.BodyAsync();
        }

        var first = await GetAsync("/api/notifications");
        Assert.Equal(Range(45, 26), Ids(first));
        Assert.Equal((45, 45L), (first.GetProperty("unread").GetInt32(), first.GetProperty("last").GetProperty(own).GetInt64()));
        var newest = first.GetProperty("items")[0];
        Assert.Equal(("TradeNotice", "通知 45", "Sold", 55m, false), (newest.GetProperty("type").GetString(), newest.GetProperty("title").GetString(),
            newest.GetProperty("news").GetString(), newest.GetProperty("amount").GetDecimal(), newest.GetProperty("read").GetBoolean()));
        Assert.True(DateTimeOffset.UtcNow - newest.GetProperty("storedAt").GetDateTimeOffset() < TimeSpan.FromMinutes(5));
        Assert.Equal(own, newest.GetProperty("stream").GetString());
        var second = await GetAsync($"/api/notifications?before={Uri.EscapeDataString(first.GetProperty("next").GetString()!)}");
        Assert.Equal(Range(25, 6), Ids(second));
        var last = await GetAsync($"/api/notifications?before={Uri.EscapeDataString(second.GetProperty("next").GetString()!)}");
        Assert.Equal(Range(5, 1), Ids(last));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next").ValueKind);
        Assert.Equal(then, last.GetProperty("items")[4].GetProperty("storedAt").GetDateTimeOffset());
        string Before(JsonElement page, long id)
        {
            var item = page.GetProperty("items").EnumerateArray().Single(n => n.GetProperty("notificationId").GetInt64() == id);
            return Uri.EscapeDataString(new TechTransfer.Network.NotificationCentre.Position(item.GetProperty("storedAt").GetDateTimeOffset(), own, id).ToString());
        }
        Assert.Equal(Range(10, 8), Ids(await GetAsync($"/api/notifications?before={Before(second, 11)}&size=3")));

        // One read; then everything up to 40 (what the page had shown); what came later stays unread.
        Assert.Equal(44, (await PostAsync("/api/notifications/30/read")).GetProperty("unread").GetInt32());
        Assert.Equal(44, (await PostAsync("/api/notifications/30/read")).GetProperty("unread").GetInt32()); // once is once
        var page = await GetAsync($"/api/notifications?before={Before(first, 32)}&size=3");
        Assert.Equal([false, true, false], page.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("read").GetBoolean()));
        await (await client.PostAsJsonAsync("/api/notifications/99/read", new { })).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(5, (await PostAsync("/api/notifications/read-all", new { upTo = new Dictionary<string, long> { [own] = 40 } })).GetProperty("unread").GetInt32());
        Assert.Equal([false, true], (await GetAsync($"/api/notifications?before={Before(first, 42)}&size=2")).GetProperty("items").EnumerateArray()
            .Select(n => n.GetProperty("read").GetBoolean()));
        await AppendAsync(46, 1, own);
        var counts = await GetAsync("/api/notifications/unread");
        Assert.Equal((6, 46L), (counts.GetProperty("unread").GetInt32(), counts.GetProperty("last").GetProperty(own).GetInt64()));
        Assert.Equal(0, (await PostAsync("/api/notifications/read-all")).GetProperty("unread").GetInt32());
        Assert.All((await GetAsync("/api/notifications?size=100")).GetProperty("items").EnumerateArray(), n => Assert.True(n.GetProperty("read").GetBoolean()));

        // Another account has its own inbox: none of these ids are its to read, and its centre is empty.
        var other = await api.SignedInAsync((await FreshOrganization.CreateAsync(api.SignedInAsync)).Account);
        await (await other.PostAsJsonAsync("/api/notifications/30/read", new { })).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var empty = await (await other.GetAsync("/api/notifications")).BodyAsync();
        Assert.Equal((0, 0), (empty.GetProperty("items").GetArrayLength(), empty.GetProperty("unread").GetInt32()));

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/notifications/unread")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsJsonAsync("/api/notifications/read-all", new { })).StatusCode);
        foreach (var query in new[] { "?size=0", "?size=101", "?before=0" })
            await (await client.GetAsync($"/api/notifications{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        await (await client.PostAsJsonAsync("/api/notifications/read-all", new { upTo = new Dictionary<string, long> { [own] = -1 } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        // A stream this account does not read is not found, whatever it holds.
        await (await client.PostAsJsonAsync($"/api/notifications/1/read?stream={Uri.EscapeDataString(Inboxes.Organization("org-demo-enterprise"))}", new { }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task An_organizations_stream_is_read_by_each_member_on_their_own_and_an_event_in_two_of_a_readers_streams_shows_once()
    {
        var organization = await FreshOrganization.CreateAsync(api.SignedInAsync);
        var national = await api.SignedInAsync("demo-national");
        var added = await national.PostAsJsonAsync($"/api/organizations/{organization.Id}/accounts",
            new { account = organization.Account + "-b", displayName = "第二成员", role = "Member", password = Demo.DemoSeeder.Password });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var (first, second) = (await api.SignedInAsync(organization.Account), await api.SignedInAsync(organization.Account + "-b"));
        var shared = Inboxes.Organization(organization.Id);
        await AppendAsync(1, 3, shared);
        // Event 4 reached the organization and the first member in person: the first member sees it once.
        await AppendAsync(4, 1, shared, Inboxes.User(organization.AccountId));

        static async Task<JsonElement> CentreAsync(HttpClient client) => await (await client.GetAsync("/api/notifications")).BodyAsync();
        var mine = await CentreAsync(first);
        Assert.Equal(["通知 4", "通知 3", "通知 2", "通知 1"], mine.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("title").GetString()));
        Assert.All(mine.GetProperty("items").EnumerateArray(), n => Assert.Equal(shared, n.GetProperty("stream").GetString()));
        Assert.Equal(4, mine.GetProperty("unread").GetInt32());
        Assert.Equal(4, (await CentreAsync(second)).GetProperty("unread").GetInt32());

        // The first member reads two of them; the second member's are still unread.
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsJsonAsync($"/api/notifications/4/read?stream={Uri.EscapeDataString(shared)}", new { })).StatusCode);
        var afterRead = await (await first.PostAsJsonAsync("/api/notifications/read-all", new { upTo = new Dictionary<string, long> { [shared] = 1 } })).BodyAsync();
        Assert.Equal(2, afterRead.GetProperty("unread").GetInt32());
        Assert.Equal(4, (await CentreAsync(second)).GetProperty("unread").GetInt32());
        Assert.All((await CentreAsync(second)).GetProperty("items").EnumerateArray(), n => Assert.False(n.GetProperty("read").GetBoolean()));
        Assert.Equal([true, false, false, true], (await CentreAsync(first)).GetProperty("items").EnumerateArray().Select(n => n.GetProperty("read").GetBoolean()));

        // Someone outside the organization does not read its stream.
        var stranger = await api.SignedInAsync((await FreshOrganization.CreateAsync(api.SignedInAsync)).Account);
        Assert.Equal(0, (await CentreAsync(stranger)).GetProperty("items").GetArrayLength());
        await (await stranger.PostAsJsonAsync($"/api/notifications/1/read?stream={Uri.EscapeDataString(shared)}", new { }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }
}
