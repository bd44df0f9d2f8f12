using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Notifications;
using TechTransfer.PushBench;
using TechTransfer.Storage;

namespace TechTransfer.Soak;

/// <summary>
/// Signed-in SignalR clients of /hubs/network, two per bench organization (its admin and a colleague, on different
/// hosts), counting MatchFound. When its host dies a client does what the portal does: connect to another host
/// and Resume(lastSeenId), so the events kept in the user's inbox meanwhile arrive late, not never.
/// </summary>
public sealed class SoakClients : IAsyncDisposable
{
    public sealed class Client(int number, BenchNetwork.User user)
    {
        public int Number => number;
        public BenchNetwork.User User => user;
        public ConcurrentDictionary<string, bool> Matches { get; } = new();
        public Dictionary<string, long>? LastSeen; // the last id received in each stream; null until the first Listen answered

        public void Saw(string? stream, long id)
        {
            if (stream is null) return;
            lock (this)
            {
                LastSeen ??= [];
                LastSeen[stream] = Math.Max(LastSeen.GetValueOrDefault(stream), id);
            }
        }
        public int Reconnects;
        public HubConnection? Connection;
    }

    readonly IReadOnlyList<Uri> hosts;
    readonly CancellationTokenSource stopping = new();

    SoakClients(IReadOnlyList<Uri> hosts, List<Client> clients)
    {
        this.hosts = hosts;
        All = clients;
    }

    public IReadOnlyList<Client> All { get; }

    public int Received => All.Sum(c => c.Matches.Count);

    public int Reconnects => All.Sum(c => c.Reconnects);

    public static async Task<SoakClients> ConnectAsync(IReadOnlyList<Uri> hosts, BenchNetwork network)
    {
        var users = network.Organizations.SelectMany(o => o.Members.Take(2)).ToList();
        var clients = new SoakClients(hosts, [.. users.Select((u, i) => new Client(i, u))]);
        await Task.WhenAll(clients.All.Select(c => clients.ConnectAsync(c, c.Number % hosts.Count)));
        return clients;
    }

    /// <summary>Connects (retrying over the hosts until one takes it) and resumes after the last event seen.</summary>
    async Task ConnectAsync(Client client, int host)
    {
        for (var attempt = 0; !stopping.IsCancellationRequested; attempt++)
        {
            var url = new Uri(hosts[(host + attempt) % hosts.Count], "/hubs/network");
            var connection = new HubConnectionBuilder()
                .WithUrl(url, o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    o.AccessTokenProvider = () => Task.FromResult<string?>(client.User.Token);
                })
                .AddJsonProtocol(o => TechTransferJson.Configure(o.PayloadSerializerOptions))
                .Build();
            connection.ServerTimeout = TimeSpan.FromSeconds(60);
            connection.On<MatchFound>(nameof(MatchFound), m =>
            {
                client.Matches.TryAdd(m.MatchId, true);
                client.Saw(m.Stream, m.NotificationId);
            });
            // Other events advance their stream too: a resume after them must not replay them, nor skip a match.
            connection.On<ListingPublished>(nameof(ListingPublished), m => client.Saw(m.Stream, m.NotificationId));
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                await connection.StartAsync(timeout.Token);
                Dictionary<string, long>? from;
                lock (client) from = client.LastSeen is null ? null : new(client.LastSeen);
                // The first connection hears what comes next; a reconnection resumes where each stream was left.
                var reached = from is null ? await connection.InvokeAsync<Dictionary<string, long>>("Listen", timeout.Token)
                    : await connection.InvokeAsync<Dictionary<string, long>>("Resume", from, timeout.Token);
                foreach (var (stream, id) in reached) client.Saw(stream, id);
                connection.Closed += error =>
                {
                    if (stopping.IsCancellationRequested) return Task.CompletedTask;
                    Interlocked.Increment(ref client.Reconnects);
                    _ = Task.Run(() => ConnectAsync(client, host + attempt + 1));
                    return Task.CompletedTask;
                };
                client.Connection = connection;
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                await connection.DisposeAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(500)).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(All.Where(c => c.Connection is not null).Select(c => c.Connection!.DisposeAsync().AsTask()));
    }
}
