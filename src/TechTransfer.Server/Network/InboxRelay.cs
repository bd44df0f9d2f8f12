using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Orleans.Runtime;
using TechTransfer.Notifications;
using TechTransfer.Storage;

namespace TechTransfer.Network;

/// <summary>
/// This host's link between user inboxes (grains, anywhere in the cluster) and its SignalR connections. It
/// subscribes to the inbox of every user connected here; each connection keeps a cursor, so it gets every event
/// exactly once and in inbox order: older or repeated ids are dropped, and a gap (an event that overtook
/// another on the wire) is filled from the inbox before going on. A connection may also watch public trade
/// feeds (inbox "trade:&lt;id&gt;"): each watch is one more cursor of that connection, on that feed's inbox.
/// </summary>
public sealed class InboxRelay : IInboxObserver, IHostedService
{
    readonly IGrainFactory grains;
    readonly IHubContext<NetworkHub, INetworkClient> hub;
    readonly ILogger<InboxRelay> logger;
    readonly string hostId = Guid.NewGuid().ToString("N");
    readonly ConcurrentDictionary<string, Connection> connections = new();
    readonly ConcurrentDictionary<string, User> users = new(); // by inbox key: users' inboxes and watched feeds
    readonly ConcurrentDictionary<string, List<Connection>> watches = new(); // by connection id
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

    /// <summary>The connections on this host that follow one inbox (a user's, or a watched feed); its lock orders every send to them.</summary>
    sealed class User(string inbox)
    {
        public readonly string Inbox = inbox;
        public readonly SemaphoreSlim Gate = new(1, 1);
        public readonly List<Connection> Connections = [];
    }

    sealed class Connection(string id, User user)
    {
        public readonly string Id = id;
        public readonly User User = user;
        public long? Cursor; // null until Resume: nothing is sent before the client says where it stands
    }

    /// <summary>SignalR connections on this host (reported by /health).</summary>
    public int ConnectionCount => connections.Count;

    IInboxGrain Inbox(User user) => grains.GetGrain<IInboxGrain>(user.Inbox);

    IInboxObserver Self => self ??= grains.CreateObjectReference<IInboxObserver>(this);

    public async Task ConnectAsync(string connectionId, string accountId)
    {
        var user = users.GetOrAdd(Inboxes.User(accountId), key => new User(key));
        await user.Gate.WaitAsync();
        try
        {
            var connection = new Connection(connectionId, user);
            connections[connectionId] = connection;
            user.Connections.Add(connection);
            if (user.Connections.Count == 1) await Inbox(user).SubscribeAsync(hostId, Self);
        }
        finally
        {
            user.Gate.Release();
        }
    }

    public async Task<long> ResumeAsync(string connectionId, long lastSeenId)
    {
        if (!connections.TryGetValue(connectionId, out var connection)) return lastSeenId;
        var user = connection.User;
        await user.Gate.WaitAsync();
        try
        {
            var inbox = Inbox(user);
            connection.Cursor = lastSeenId < 0 ? await inbox.SubscribeAsync(hostId, Self) : lastSeenId;
            await CatchUpAsync(connection, upTo: long.MaxValue);
            return connection.Cursor.Value;
        }
        finally
        {
            user.Gate.Release();
        }
    }

    /// <summary>
    /// Follows a public feed on this connection from <paramref name="lastSeenId"/> (−1: only what comes next); the
    /// caller has checked the feed is one any signed-in user may watch. Returns the last id sent.
    /// </summary>
    public async Task<long> WatchAsync(string connectionId, string inbox, long lastSeenId)
    {
        if (!connections.ContainsKey(connectionId)) return lastSeenId;
        var feed = users.GetOrAdd(inbox, key => new User(key));
        await feed.Gate.WaitAsync();
        try
        {
            var connection = feed.Connections.FirstOrDefault(c => c.Id == connectionId);
            if (connection is null)
            {
                connection = new Connection(connectionId, feed);
                feed.Connections.Add(connection);
                var list = watches.GetOrAdd(connectionId, _ => []);
                lock (list) list.Add(connection);
            }
            var last = await Inbox(feed).SubscribeAsync(hostId, Self);
            connection.Cursor = lastSeenId < 0 ? last : lastSeenId;
            await CatchUpAsync(connection, upTo: long.MaxValue);
            return connection.Cursor.Value;
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    public async Task UnwatchAsync(string connectionId, string inbox)
    {
        if (!watches.TryGetValue(connectionId, out var list)) return;
        Connection? connection;
        lock (list)
        {
            connection = list.FirstOrDefault(c => c.User.Inbox == inbox);
            if (connection is not null) list.Remove(connection);
        }
        if (connection is not null) await LeaveAsync(connection);
    }

    async Task LeaveAsync(Connection connection)
    {
        var user = connection.User;
        await user.Gate.WaitAsync();
        try
        {
            user.Connections.Remove(connection);
            if (user.Connections.Count == 0) await Inbox(user).UnsubscribeAsync(hostId);
        }
        finally
        {
            user.Gate.Release();
        }
    }

    public async Task DisconnectAsync(string connectionId)
    {
        if (watches.TryRemove(connectionId, out var watched))
        {
            Connection[] feeds;
            lock (watched) feeds = [.. watched];
            foreach (var feed in feeds) await LeaveAsync(feed);
        }
        if (connections.TryRemove(connectionId, out var connection)) await LeaveAsync(connection);
    }

    /// <summary>From an inbox grain: a new event for a user connected here.</summary>
    public async Task DeliverAsync(string inbox, Notification notification)
    {
        if (!users.TryGetValue(inbox, out var user)) return;
        await user.Gate.WaitAsync();
        try
        {
            foreach (var connection in user.Connections.Where(c => c.Cursor is not null))
            {
                if (notification.Id <= connection.Cursor) continue;                  // seen already
                if (notification.Id > connection.Cursor + 1) await CatchUpAsync(connection, notification.Id - 1); // a gap
                await SendAsync(connection, notification);
                Telemetry.Metrics.PushLatency.Record((DateTimeOffset.UtcNow - notification.CreatedAt).TotalMilliseconds);
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Delivering {Inbox} #{Id} failed; the client gets it when it resumes", inbox, notification.Id);
        }
        finally
        {
            user.Gate.Release();
        }
    }

    async Task CatchUpAsync(Connection connection, long upTo)
    {
        while (connection.Cursor < upTo)
        {
            var missed = await Inbox(connection.User).ReadAfterAsync(connection.Cursor!.Value, 200);
            foreach (var notification in missed.Where(n => n.Id <= upTo)) await SendAsync(connection, notification);
            if (missed.Length < 200) return;
        }
    }

    async Task SendAsync(Connection connection, Notification notification)
    {
        var client = hub.Clients.Client(connection.Id);
        switch (notification.Type)
        {
            case nameof(MatchFound):
                await client.MatchFound(Payload<MatchFound>(notification) with { NotificationId = notification.Id, StoredAt = notification.CreatedAt });
                break;
            case nameof(ListingPublished):
                await client.ListingPublished(Payload<ListingPublished>(notification) with { NotificationId = notification.Id, StoredAt = notification.CreatedAt });
                break;
            case nameof(DealUpdated):
                await client.DealUpdated(Payload<DealUpdated>(notification) with { NotificationId = notification.Id, StoredAt = notification.CreatedAt });
                break;
            case nameof(DealStale):
                await client.DealStale(Payload<DealStale>(notification) with { NotificationId = notification.Id, StoredAt = notification.CreatedAt });
                break;
            case nameof(ContractRegistered):
                await client.ContractRegistered(Payload<ContractRegistered>(notification) with { NotificationId = notification.Id, StoredAt = notification.CreatedAt });
                break;
            case nameof(TradeNotice):
                await client.TradeNotice(Payload<TradeNotice>(notification) with { NotificationId = notification.Id, StoredAt = notification.CreatedAt });
                break;
            case nameof(Subscriptions.SubscriptionHit):
                await client.SubscriptionHit(Payload<Subscriptions.SubscriptionHit>(notification) with { NotificationId = notification.Id, StoredAt = notification.CreatedAt });
                break;
            case nameof(TradeFeed):
                await client.TradeFeed(Payload<TradeFeed>(notification) with { NotificationId = notification.Id, StoredAt = notification.CreatedAt });
                break;
            case nameof(ListingExpiring):
                await client.ListingExpiring(Payload<ListingExpiring>(notification) with { NotificationId = notification.Id, StoredAt = notification.CreatedAt });
                break;
            case nameof(EvaluationNews):
                await client.EvaluationNews(Payload<EvaluationNews>(notification) with { NotificationId = notification.Id, StoredAt = notification.CreatedAt });
                break;
        }
        connection.Cursor = notification.Id;
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

    // Re-subscribes; if the inbox went ahead without pushing here (it was reactivated), sends what was missed.
    async Task RenewAsync()
    {
        foreach (var user in users.Values.Where(u => u.Connections.Count > 0))
        {
            try
            {
                var last = await Inbox(user).SubscribeAsync(hostId, Self);
                if (!user.Connections.Any(c => c.Cursor < last)) continue;
                await user.Gate.WaitAsync();
                try
                {
                    foreach (var connection in user.Connections.Where(c => c.Cursor < last)) await CatchUpAsync(connection, last);
                }
                finally
                {
                    user.Gate.Release();
                }
            }
            catch (Exception e) { logger.LogWarning(e, "Renewing the subscription to {Inbox} failed", user.Inbox); }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stopping.Cancel();
        renewal?.Dispose();
        return Task.CompletedTask;
    }
}
