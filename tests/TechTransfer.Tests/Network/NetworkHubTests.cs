using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Matching;
using TechTransfer.Notifications;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Network;

/// <summary>The live network over real sockets: SignalR clients of the real host, events raised by grains.</summary>
[Collection(ApiCollection.Name)]
public sealed class NetworkHubTests(ApiFixture api) : IAsyncLifetime
{
    readonly List<Listener> listeners = [];

    /// <summary>A signed-in SignalR client that records every event it receives.</summary>
    sealed class Listener(HubConnection connection) : IAsyncDisposable
    {
        public readonly HubConnection Connection = connection;
        public readonly ConcurrentQueue<MatchFound> Matches = new();
        public readonly ConcurrentQueue<ListingPublished> Published = new();

        public IEnumerable<MatchFound> MatchesOf(string matchId) => Matches.Where(m => m.MatchId == matchId);

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    /// <summary>Connects; with <paramref name="resumeFrom"/> resumes each stream after its id, without it hears only what comes next.</summary>
    async Task<Listener> ConnectAsync(string account, Dictionary<string, long>? resumeFrom = null)
    {
        var client = await api.SignedInAsync(account);
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        var connection = api.Host.HubConnection(token);
        var listener = new Listener(connection);
        connection.On<MatchFound>(nameof(MatchFound), m => listener.Matches.Enqueue(m));
        connection.On<ListingPublished>(nameof(ListingPublished), p => listener.Published.Enqueue(p));
        await connection.StartAsync();
        if (resumeFrom is null) await connection.InvokeAsync<Dictionary<string, long>>("Listen");
        else await connection.InvokeAsync<Dictionary<string, long>>("Resume", resumeFrom);
        listeners.Add(listener);
        return listener;
    }

    /// <summary>A demand of demo-enterprise (广东 → 粤港澳) and a fitting achievement of demo-university (江苏 → 长三角).</summary>
    async Task<(string Demand, string Achievement, string MatchId)> PairAsync()
    {
        var word = Samples.UniqueWord();
        var demand = await (await api.SignedInAsync("demo-enterprise")).CreatePublishedAsync("/api/demands",
            Samples.Demand($"寻求{word}极片缺陷检测技术").With("keywords", new JsonArray(word, "极片")));
        var achievement = await (await api.SignedInAsync("demo-university")).CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} 锂电池极片缺陷在线检测方法").With("keywords", new JsonArray(word, "极片", "缺陷检测")));
        return (demand, achievement, ListingMatcher.MatchId(achievement, demand));
    }

    [Fact]
    public async Task A_connection_without_a_token_is_refused()
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(api.Anonymous().BaseAddress!, "/hubs/network")).Build();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_match_reaches_both_parties_and_both_centers_brokers_once_and_nobody_else()
    {
        var enterprise = await ConnectAsync("demo-enterprise");
        var university = await ConnectAsync("demo-university");
        var brokerOfUniversity = await ConnectAsync("demo-broker");               // 长三角
        var brokerOfEnterprise = await ConnectAsync("demo-broker-greater-bay");   // 粤港澳
        var otherBroker = await ConnectAsync("demo-broker-southwest"); // (demo-broker-northeast is locked out by the lockout test)
        var national = await ConnectAsync("demo-national");

        var (demand, achievement, matchId) = await PairAsync();
        var entitled = new[] { enterprise, university, brokerOfUniversity, brokerOfEnterprise };
        await Eventually.TrueAsync(() => entitled.All(l => l.MatchesOf(matchId).Any()), "MatchFound at every entitled connection");

        var match = enterprise.MatchesOf(matchId).Single();
        Assert.Equal((achievement, demand), (match.AchievementId, match.DemandId));
        Assert.InRange(match.Score, 0, 100);
        Assert.NotEmpty(match.Explanation.MatchedTerms);
        Assert.True(match.NotificationId > 0);

        // A retried publish matches again; nobody hears of the same match twice.
        var client = await api.SignedInAsync("demo-university");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/achievements/{achievement}/publish", null)).StatusCode);
        await Eventually.TrueAsync(() => national.Published.Any(p => p.ListingId == achievement), "ListingPublished at national");
        await Task.Delay(300);
        Assert.All(entitled, l => Assert.Single(l.MatchesOf(matchId)));
        Assert.Empty(otherBroker.MatchesOf(matchId));
        Assert.Empty(national.MatchesOf(matchId)); // national hears of listings, not of private matches

        // Delivered on read: the match is stored once per audience (two organizations, two centers), not once per
        // member or broker, so its cost does not grow with them.
        Assert.Equal(4, await api.Database.CountAsync($"SELECT count(*) FROM tt_notification WHERE event_id = '{matchId}'"));
        Assert.Equal(1, await api.Database.CountAsync(
            $"SELECT count(*) FROM tt_notification WHERE event_id = '{matchId}' AND inbox = 'region:yangtze-delta'"));

        // ListingPublished goes to the listing's center and national, with the center's live count.
        Assert.Contains(brokerOfUniversity.Published, p => p.ListingId == achievement && p.RegionCode == "yangtze-delta" && p.RegionPublishedAchievements > 0);
        Assert.DoesNotContain(otherBroker.Published, p => p.ListingId == achievement);
        Assert.DoesNotContain(enterprise.Published, p => p.ListingId == achievement);
    }

    [Fact]
    public async Task Events_missed_while_offline_arrive_on_resume_in_order_then_live_ones()
    {
        var first = await ConnectAsync("demo-enterprise");
        var (_, _, before) = await PairAsync();
        await Eventually.TrueAsync(() => first.MatchesOf(before).Any(), "the first match");
        var lastSeen = first.Matches.GroupBy(m => m.Stream!).ToDictionary(g => g.Key, g => g.Max(m => m.NotificationId));
        Assert.Equal(["org:org-demo-enterprise"], lastSeen.Keys); // an enterprise member hears of matches through its organization's stream
        await first.Connection.StopAsync();

        var (_, _, missed1) = await PairAsync();
        var (_, _, missed2) = await PairAsync();

        var again = await ConnectAsync("demo-enterprise", resumeFrom: lastSeen);
        await Eventually.TrueAsync(() => again.MatchesOf(missed1).Any() && again.MatchesOf(missed2).Any(), "the missed matches");
        var (_, _, live) = await PairAsync();
        await Eventually.TrueAsync(() => again.MatchesOf(live).Any(), "the live match");

        var ids = again.Matches.Select(m => m.NotificationId).ToList();
        Assert.Equal(ids.Order(), ids);          // in inbox order
        Assert.Equal(ids.Distinct(), ids);       // each once
        Assert.All(ids, id => Assert.True(id > lastSeen.Values.Single()));
        Assert.Empty(again.MatchesOf(before));   // acknowledged before, not sent again
    }

    [Fact]
    public async Task An_event_in_two_streams_a_reader_reads_arrives_once_live_and_after_a_reconnect()
    {
        var person = await FreshOrganization.CreateAsync(api.SignedInAsync);
        var grains = api.Host.Services.GetRequiredService<IGrainFactory>();
        string[] streams = [Inboxes.Organization(person.Id), Inboxes.User(person.AccountId)];
        var notices = new ConcurrentQueue<TradeNotice>();
        async Task<HubConnection> ConnectAsync(Dictionary<string, long>? resumeFrom)
        {
            var connection = api.Host.HubConnection((await api.SignedInAsync(person.Account)).DefaultRequestHeaders.Authorization!.Parameter!);
            connection.On<TradeNotice>(nameof(TradeNotice), n => notices.Enqueue(n));
            await connection.StartAsync();
            await (resumeFrom is null ? connection.InvokeAsync<Dictionary<string, long>>("Listen")
                : connection.InvokeAsync<Dictionary<string, long>>("Resume", resumeFrom));
            return connection;
        }
        async Task SendAsync(string title)
        {
            var draft = NotificationDraft.Of($"{person.Id}:{title}", new TradeNotice("fpl-" + Guid.NewGuid().ToString("N"), "FixedPriceListing", title, "Sold",
                1m, null, DateTimeOffset.UtcNow)) with { Streams = streams };
            await Task.WhenAll(streams.Select(s => grains.GetGrain<IInboxGrain>(s).AppendAsync(draft)));
        }

        var first = await ConnectAsync(null);
        await SendAsync("现场");
        await Eventually.TrueAsync(() => !notices.IsEmpty, "the live notice");
        await Task.Delay(300);
        var live = Assert.Single(notices);
        Assert.Equal(streams.Min(StringComparer.Ordinal), live.Stream); // taken from the first of its streams: the organization's
        await first.DisposeAsync();

        // Away: one more. Back, resuming only the stream it was told of: the old one is not repeated, the new one comes once.
        await SendAsync("离线");
        notices.Clear();
        await using var again = await ConnectAsync(new() { [live.Stream!] = live.NotificationId });
        await Eventually.TrueAsync(() => notices.Any(n => n.Title == "离线"), "the missed notice");
        await Task.Delay(300);
        Assert.Equal(["离线"], notices.Select(n => n.Title));
    }

    [Fact]
    public async Task Watching_a_made_up_or_malformed_trade_id_is_refused_cleanly_and_activates_no_grain()
    {
        var listener = await ConnectAsync("demo-enterprise");
        var madeUp = Enumerable.Range(0, 20).Select(_ => "auc-" + Guid.NewGuid().ToString("N")).ToList(); // well-formed, never opened
        string[] malformed = ["auc-\u0000x", "auc-junk", "fpl-../x", "tnd-" + new string('a', 300), "mat-" + Guid.NewGuid().ToString("N"), ""];

        foreach (var id in madeUp.Concat(malformed))
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => listener.Connection.InvokeAsync<long>("Watch", id, 0L));
            // The server's own refusal ("… HubException: not-found: …"), not a bare "an unexpected error occurred".
            Assert.True(refused.Message.Contains("HubException: not-found:", StringComparison.Ordinal), $"{id}: {refused.Message}");
        }
        Assert.Equal(HubConnectionState.Connected, listener.Connection.State);

        // Neither a feed inbox nor a trade grain was activated for any of them.
        var activations = await api.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var keys = activations.Select(a => a.GrainId.Key.ToString()!).ToList();
        Assert.DoesNotContain(keys, key => madeUp.Any(id => key.Contains(id[4..], StringComparison.Ordinal)) || key.Contains("auc-junk", StringComparison.Ordinal));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var listener in listeners) await listener.DisposeAsync();
    }
}
