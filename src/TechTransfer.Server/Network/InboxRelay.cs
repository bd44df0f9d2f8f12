using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Orleans.Runtime;
using TechTransfer.Notifications;
using TechTransfer.Storage;

namespace TechTransfer.Network;

/// <summary>
/// This host's link between streams (inbox grains, anywhere in the cluster) and its SignalR connections. A connection
/// reads the streams its account is entitled to (<see cref="Audiences"/>: its own, its organization's, its center's
/// as a broker, national) and any public trade feeds it watches; the relay subscribes to each stream that some
/// connection here reads. Each connection keeps a cursor per stream, so it gets every event of a stream exactly once
/// and in that stream's order: older or repeated ids are dropped, and a gap (an event that overtook another on the
/// wire) is filled from the stream before going on. An event sent to several of the streams a connection reads is
/// taken from one of them only (<see cref="Notification.IsReadFrom"/>), so it arrives once.
/// </summary>
public sealed class InboxRelay : IInboxObserver, IHostedService
{
    readonly IGrainFactory grains;
    readonly IHubContext<NetworkHub, INetworkClient> hub;
    readonly ILogger<InboxRelay> logger;
    readonly string hostId = Guid.NewGuid().ToString("N");
    readonly ConcurrentDictionary<string, Reader> readers = new(); // by connection id
    readonly ConcurrentDictionary<string, Feed> feeds = new(); // by stream key
    readonly IClusterMembershipService membership;
    readonly CancellationTokenSource stopping = new();
    IInboxObserver? self;
    Timer? renewal;

    public InboxRelay(IGrainFactory grains, IHubContext<NetworkHub, INetworkClient> hub, IClusterMembershipService membership,
        ILogger<InboxRelay> logger)
    {
        this.grains = grains;
        this.hub = hub;
        this.membership = membership;
        this.logger = logger;
    }

    /// <summary>One stream as this host follows it, for the connections here that read it; its lock orders every send from it.</summary>
    sealed class Feed(string key)
    {
        public readonly string Key = key;
        public readonly SemaphoreSlim Gate = new(1, 1);
        public readonly List<Follow> Follows = [];
    }

    /// <summary>A connection: the streams its account is entitled to (fixed when it connects) and what it follows.</summary>
    sealed class Reader(string id, IReadOnlySet<string> audience)
    {
        public readonly string Id = id;
        public readonly IReadOnlySet<string> Audience = audience;
        public readonly List<Follow> Follows = []; // the audience's streams, then watched trade feeds; under its own lock
    }

    /// <summary>One connection's place in one stream.</summary>
    sealed class Follow(Reader reader, Feed feed)
    {
        public readonly Reader Reader = reader;
        public readonly Feed Feed = feed;
        public long? Cursor; // null until Resume: nothing is sent before the client says where it stands
    }

    /// <summary>SignalR connections on this host (reported by /health).</summary>
    public int ConnectionCount => readers.Count;

    IInboxGrain Stream(Feed feed) => grains.GetGrain<IInboxGrain>(feed.Key);

    IInboxObserver Self => self ??= grains.CreateObjectReference<IInboxObserver>(this);

    /// <summary>A new connection of <paramref name="actor"/>: it will read the streams the account is entitled to now.</summary>
    public async Task ConnectAsync(string connectionId, Accounts.Actor actor)
    {
        var audience = await Audiences.OfAsync(grains, actor);
        var reader = new Reader(connectionId, audience.ToHashSet());
        readers[connectionId] = reader;
        foreach (var stream in audience) await JoinAsync(reader, stream);
    }

    async Task<Follow> JoinAsync(Reader reader, string stream)
    {
        var feed = feeds.GetOrAdd(stream, key => new Feed(key));
        await feed.Gate.WaitAsync();
        try
        {
            var follow = feed.Follows.FirstOrDefault(f => f.Reader == reader);
            if (follow is not null) return follow;
            follow = new Follow(reader, feed);
            feed.Follows.Add(follow);
            lock (reader.Follows) reader.Follows.Add(follow);
            if (feed.Follows.Count == 1) await Stream(feed).SubscribeAsync(hostId, Self);
            return follow;
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    /// <summary>
    /// Sends what each of the connection's streams holds after the id <paramref name="lastSeen"/> gives for it (a
    /// stream it does not name: everything kept; null for all: only what comes next), oldest first per stream, then
    /// live events. Returns the place reached in each stream.
    /// </summary>
    public async Task<Dictionary<string, long>> ResumeAsync(string connectionId, IReadOnlyDictionary<string, long>? lastSeen)
    {
        var positions = new Dictionary<string, long>();
        if (!readers.TryGetValue(connectionId, out var reader)) return positions;
        foreach (var follow in Followed(reader).Where(f => reader.Audience.Contains(f.Feed.Key)))
        {
            await follow.Feed.Gate.WaitAsync();
            try
            {
                follow.Cursor = lastSeen is null ? await Stream(follow.Feed).SubscribeAsync(hostId, Self)
                    : Math.Max(0, lastSeen.GetValueOrDefault(follow.Feed.Key));
                await CatchUpAsync(follow, upTo: long.MaxValue);
                positions[follow.Feed.Key] = follow.Cursor.Value;
            }
            finally
            {
                follow.Feed.Gate.Release();
            }
        }
        return positions;
    }

    static Follow[] Followed(Reader reader)
    {
        lock (reader.Follows) return [.. reader.Follows];
    }

    /// <summary>
    /// Follows a public feed on this connection from <paramref name="lastSeenId"/> (−1: only what comes next); the
    /// caller has checked the feed is one any signed-in user may watch. Returns the last id sent.
    /// </summary>
    public async Task<long> WatchAsync(string connectionId, string stream, long lastSeenId)
    {
        if (!readers.TryGetValue(connectionId, out var reader)) return lastSeenId;
        var follow = await JoinAsync(reader, stream);
        await follow.Feed.Gate.WaitAsync();
        try
        {
            var last = await Stream(follow.Feed).SubscribeAsync(hostId, Self);
            follow.Cursor = lastSeenId < 0 ? last : lastSeenId;
            await CatchUpAsync(follow, upTo: long.MaxValue);
            return follow.Cursor.Value;
        }
        finally
        {
            follow.Feed.Gate.Release();
        }
    }

    public async Task UnwatchAsync(string connectionId, string stream)
    {
        if (!readers.TryGetValue(connectionId, out var reader) || reader.Audience.Contains(stream)) return;
        Follow? follow;
        lock (reader.Follows)
        {
            follow = reader.Follows.FirstOrDefault(f => f.Feed.Key == stream);
            if (follow is not null) reader.Follows.Remove(follow);
        }
        if (follow is not null) await LeaveAsync(follow);
    }

    async Task LeaveAsync(Follow follow)
    {
        var feed = follow.Feed;
        await feed.Gate.WaitAsync();
        try
        {
            feed.Follows.Remove(follow);
            if (feed.Follows.Count == 0) await Stream(feed).UnsubscribeAsync(hostId);
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    public async Task DisconnectAsync(string connectionId)
    {
        if (!readers.TryRemove(connectionId, out var reader)) return;
        foreach (var follow in Followed(reader)) await LeaveAsync(follow);
    }

    /// <summary>From a stream's grain: a new event for connections here that read it.</summary>
    public async Task DeliverAsync(string inbox, Notification notification)
    {
        if (!feeds.TryGetValue(inbox, out var feed)) return;
        await feed.Gate.WaitAsync();
        try
        {
            foreach (var follow in feed.Follows.Where(f => f.Cursor is not null))
            {
                if (notification.Id <= follow.Cursor) continue;                  // seen already
                if (notification.Id > follow.Cursor + 1) await CatchUpAsync(follow, notification.Id - 1); // a gap
                if (await SendAsync(follow, notification))
                    Telemetry.Metrics.PushLatency.Record((DateTimeOffset.UtcNow - notification.CreatedAt).TotalMilliseconds);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Delivering {Inbox} #{Id} failed; the client gets it when it resumes", inbox, notification.Id);
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    async Task CatchUpAsync(Follow follow, long upTo)
    {
        while (follow.Cursor < upTo)
        {
            var missed = await Stream(follow.Feed).ReadAfterAsync(follow.Cursor!.Value, 200);
            foreach (var notification in missed.Where(n => n.Id <= upTo)) await SendAsync(follow, notification);
            if (missed.Length < 200) return;
        }
    }

    /// <summary>Sends the event unless the connection takes it from another of its streams; either way the cursor moves past it.</summary>
    async Task<bool> SendAsync(Follow follow, Notification notification)
    {
        var sent = notification.IsReadFrom(follow.Feed.Key, follow.Reader.Audience);
        if (sent) await SendAsync(hub.Clients.Client(follow.Reader.Id), follow.Feed.Key, notification);
        follow.Cursor = notification.Id;
        return sent;
    }

    static async Task SendAsync(INetworkClient client, string stream, Notification notification)
    {
        switch (notification.Type)
        {
            case nameof(MatchFound):
                await client.MatchFound(Payload<MatchFound>(notification) with { NotificationId = notification.Id, Stream = stream, StoredAt = notification.CreatedAt });
                break;
            case nameof(ListingPublished):
                await client.ListingPublished(Payload<ListingPublished>(notification) with { NotificationId = notification.Id, Stream = stream, StoredAt = notification.CreatedAt });
                break;
            case nameof(DealUpdated):
                await client.DealUpdated(Payload<DealUpdated>(notification) with { NotificationId = notification.Id, Stream = stream, StoredAt = notification.CreatedAt });
                break;
            case nameof(DealStale):
                await client.DealStale(Payload<DealStale>(notification) with { NotificationId = notification.Id, Stream = stream, StoredAt = notification.CreatedAt });
                break;
            case nameof(ContractRegistered):
                await client.ContractRegistered(Payload<ContractRegistered>(notification) with { NotificationId = notification.Id, Stream = stream, StoredAt = notification.CreatedAt });
                break;
            case nameof(TradeNotice):
                await client.TradeNotice(Payload<TradeNotice>(notification) with { NotificationId = notification.Id, Stream = stream, StoredAt = notification.CreatedAt });
                break;
            case nameof(Subscriptions.SubscriptionHit):
                await client.SubscriptionHit(Payload<Subscriptions.SubscriptionHit>(notification) with { NotificationId = notification.Id, Stream = stream, StoredAt = notification.CreatedAt });
                break;
            case nameof(TradeFeed):
                await client.TradeFeed(Payload<TradeFeed>(notification) with { NotificationId = notification.Id, Stream = stream, StoredAt = notification.CreatedAt });
                break;
            case nameof(ListingExpiring):
                await client.ListingExpiring(Payload<ListingExpiring>(notification) with { NotificationId = notification.Id, Stream = stream, StoredAt = notification.CreatedAt });
                break;
            case nameof(EvaluationNews):
                await client.EvaluationNews(Payload<EvaluationNews>(notification) with { NotificationId = notification.Id, Stream = stream, StoredAt = notification.CreatedAt });
                break;
        }
    }

    static T Payload<T>(Notification notification) => JsonSerializer.Deserialize<T>(notification.Payload, TechTransferJson.Options)!;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Inboxes forget hosts that stop renewing (3 minutes): renew every minute while users are connected here.
        renewal = new Timer(_ => _ = RenewAsync(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        _ = RenewWhenASiloDiesAsync(stopping.Token);
        return Task.CompletedTask;
    }

    /// <summary>
    /// An inbox whose silo died comes back elsewhere without its subscribers, so its next events are stored but
    /// pushed to nobody. Re-subscribing as soon as the death is known (not at the next minute's renewal) and
    /// catching up closes that gap within the failure detection time (found by the soak: a silo killed mid-load).
    /// </summary>
    async Task RenewWhenASiloDiesAsync(CancellationToken cancellation)
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellation))
            {
                // The first snapshot lists silos dead long ago too: harmless, nobody is connected yet.
                var someoneDied = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)) > 0;
                if (someoneDied) await RenewAsync();
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested) { }
        catch (Exception e) { logger.LogWarning(e, "Watching cluster membership stopped; subscriptions renew every minute only"); }
    }

    // Re-subscribes; if a stream went ahead without pushing here (it was reactivated), sends what was missed.
    async Task RenewAsync()
    {
        foreach (var feed in feeds.Values)
        {
            await feed.Gate.WaitAsync();
            try
            {
                if (feed.Follows.Count == 0) continue;
                var last = await Stream(feed).SubscribeAsync(hostId, Self);
                foreach (var follow in feed.Follows.Where(f => f.Cursor < last)) await CatchUpAsync(follow, last);
            }
            catch (Exception e) { logger.LogWarning(e, "Renewing the subscription to {Inbox} failed", feed.Key); }
            finally
            {
                feed.Gate.Release();
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stopping.Cancel();
        renewal?.Dispose();
        return Task.CompletedTask;
    }
}
