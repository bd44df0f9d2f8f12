using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Notifications;
using TechTransfer.Storage;
using TechTransfer.Terminal;

namespace TechTransfer.PushBench;

/// <summary>
/// K real SignalR clients of /hubs/network over WebSockets, spread round-robin over the bench users, each
/// resumed with −1 (live events only). Every MatchFound is recorded with the receiving client and the
/// moment it arrived (Stopwatch timestamp, the clock the publishes are timed with).
/// </summary>
public sealed class PushClients : IAsyncDisposable
{
    const int ConnectConcurrency = 64;

    public readonly record struct Receipt(int Client, string MatchId, string AchievementId, long At);

    readonly ConcurrentQueue<Receipt> receipts = new();
    readonly List<HubConnection> connections = [];
    int disconnects, listingEvents;

    PushClients(IReadOnlyList<BenchNetwork.User> users) => UserOf = users;

    /// <summary>Client i is a connection of user UserOf[i].</summary>
    public IReadOnlyList<BenchNetwork.User> UserOf { get; }

    public IReadOnlyCollection<Receipt> Receipts => receipts;

    /// <summary>Connections the server or the network closed during the run (the client does not reconnect).</summary>
    public int Disconnects => disconnects;

    public int ListingEvents => listingEvents;

    public static async Task<PushClients> ConnectAsync(Uri server, IReadOnlyList<BenchNetwork.User> users, int count)
    {
        var clients = new PushClients([.. Enumerable.Range(0, count).Select(i => users[i % users.Count])]);
        var hub = new Uri(server, "/hubs/network");
        var progress = new ProgressBar("connect", count);
        var connected = 0;
        var built = new HubConnection[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = ConnectConcurrency }, async (i, cancel) =>
        {
            var token = clients.UserOf[i].Token;
            var connection = new HubConnectionBuilder()
                .WithUrl(hub, o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true; // WebSockets only: no negotiate round trip
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                })
                .AddJsonProtocol(o => TechTransferJson.Configure(o.PayloadSerializerOptions))
                .Build();
            // A loaded 2-core machine may answer pings late; a client that gives up would count as lost deliveries.
            connection.ServerTimeout = TimeSpan.FromMinutes(2);
            connection.On<MatchFound>(nameof(MatchFound), m =>
                clients.receipts.Enqueue(new Receipt(i, m.MatchId, m.AchievementId, Stopwatch.GetTimestamp())));
            connection.On<ListingPublished>(nameof(ListingPublished), _ => Interlocked.Increment(ref clients.listingEvents));
            connection.Closed += _ =>
            {
                Interlocked.Increment(ref clients.disconnects);
                return Task.CompletedTask;
            };
            // A refused start (a host busy activating inboxes, a full PostgreSQL) is retried; the count stays K.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await connection.StartAsync(cancel);
                    await connection.InvokeAsync<Dictionary<string, long>>("Listen", cancel);
                    break;
                }
                catch (Exception e) when (attempt < 5 && e is Microsoft.AspNetCore.SignalR.HubException or HttpRequestException or System.Net.WebSockets.WebSocketException or TimeoutException)
                {
                    if (connection.State != HubConnectionState.Disconnected) await connection.StopAsync(cancel);
                    await Task.Delay(TimeSpan.FromSeconds(attempt), cancel);
                }
            }
            built[i] = connection;
            progress.Report(Interlocked.Increment(ref connected));
        });
        progress.Done();
        clients.connections.AddRange(built);
        return clients;
    }

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = ConnectConcurrency },
            async (connection, _) => await connection.DisposeAsync());
    }
}
