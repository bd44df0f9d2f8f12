using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using TechTransfer.Notifications;

namespace TechTransfer.Tests.Infrastructure;

/// <summary>A signed-in user's hub connection that keeps every MatchFound pushed to it, from its whole inbox on.</summary>
public sealed class MatchListener : IAsyncDisposable
{
    readonly HubConnection connection;

    MatchListener(HubConnection connection) => this.connection = connection;

    public ConcurrentQueue<MatchFound> Matches { get; } = new();

    public bool Contains(string matchId) => Matches.Any(m => m.MatchId == matchId);

    public static async Task<MatchListener> StartAsync(ApiFixture api, HttpClient client)
    {
        var listener = new MatchListener(api.Host.HubConnection(client.DefaultRequestHeaders.Authorization!.Parameter!));
        listener.connection.On<MatchFound>(nameof(MatchFound), listener.Matches.Enqueue);
        await listener.connection.StartAsync();
        await listener.connection.InvokeAsync<Dictionary<string, long>>("Listen");
        return listener;
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
