using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using TechTransfer.Notifications;
using TechTransfer.Security;

namespace TechTransfer.Network;

/// <summary>What a connected client receives; each method is one event type (camelCase JSON payloads).</summary>
public interface INetworkClient
{
    Task MatchFound(MatchFound message);

    Task ListingPublished(ListingPublished message);

    Task DealUpdated(DealUpdated message);

    Task DealStale(DealStale message);

    Task ContractRegistered(ContractRegistered message);
}

/// <summary>
/// /hubs/network: signed-in connections only. The server decides what a connection hears: everything in its
/// user's inbox, which the <see cref="Notifier"/> fills with the events that user is entitled to (their
/// organization's, their center's as a broker, national as a national administrator). A client has no way
/// to ask for anything else. Live events start once the client calls <see cref="Resume"/>.
/// </summary>
[Authorize]
public sealed class NetworkHub(InboxRelay relay) : Hub<INetworkClient>
{
    public override async Task OnConnectedAsync() =>
        await relay.ConnectAsync(Context.ConnectionId, Context.User!.RequiredActor().AccountId);

    /// <summary>
    /// Sends what the user's inbox holds after <paramref name="lastSeenId"/> (0: everything kept; −1: nothing
    /// old), oldest first, then live events in order. Returns the id of the last event sent.
    /// </summary>
    public Task<long> Resume(long lastSeenId) => relay.ResumeAsync(Context.ConnectionId, lastSeenId);

    public override Task OnDisconnectedAsync(Exception? exception) => relay.DisconnectAsync(Context.ConnectionId);
}
