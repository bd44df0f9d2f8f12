using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using TechTransfer.Problems;
using TechTransfer.Notifications;
using TechTransfer.Security;
using TechTransfer.Trades;

namespace TechTransfer.Network;

/// <summary>What a connected client receives; each method is one event type (camelCase JSON payloads).</summary>
public interface INetworkClient
{
    Task MatchFound(MatchFound message);

    Task ListingPublished(ListingPublished message);

    Task DealUpdated(DealUpdated message);

    Task DealStale(DealStale message);

    Task ContractRegistered(ContractRegistered message);

    Task TradeNotice(TradeNotice message);

    /// <summary>A saved search of this account found a newly published listing.</summary>
    Task SubscriptionHit(Subscriptions.SubscriptionHit message);

    /// <summary>A watched trade's public feed; NotificationId counts within that feed (pass it to Watch to resume).</summary>
    Task TradeFeed(TradeFeed message);

    /// <summary>One of the organization's listings expires soon (issue 19 item 5).</summary>
    Task ListingExpiring(ListingExpiring message);

    /// <summary>科技成果评价: invited to review, or an evaluation published (issue 19 item 4).</summary>
    Task EvaluationNews(EvaluationNews message);
}

/// <summary>
/// /hubs/network: signed-in connections only. The server decides what a connection hears: the streams its account is
/// entitled to (<see cref="Audiences"/>: its own, its organization's, its center's as a broker, national as a national
/// administrator), which the <see cref="Notifier"/> fills. A client has no way to ask for anything else. Live events
/// start once the client calls <see cref="Resume"/> or <see cref="Listen"/>.
/// </summary>
[Authorize]
public sealed class NetworkHub(InboxRelay relay, TradeProjection trades) : Hub<INetworkClient>
{
    public override async Task OnConnectedAsync() =>
        await relay.ConnectAsync(Context.ConnectionId, Context.User!.RequiredActor());

    /// <summary>
    /// Sends, for each stream the account reads, what it holds after the id <paramref name="lastSeen"/> gives for that
    /// stream (an event's <c>stream</c> and <c>notificationId</c>; a stream not named: everything kept), oldest first per
    /// stream, then live events in order. Returns the last id reached in each stream.
    /// </summary>
    public Task<Dictionary<string, long>> Resume(Dictionary<string, long>? lastSeen) =>
        relay.ResumeAsync(Context.ConnectionId, lastSeen ?? []);

    /// <summary>Live events only, nothing already stored. Returns the last id of each stream the account reads.</summary>
    public Task<Dictionary<string, long>> Listen() => relay.ResumeAsync(Context.ConnectionId, null);

    /// <summary>
    /// Follows the public feed of a trade ("auc-…", "fpl-…", "tnd-…") after <paramref name="lastSeenId"/> (−1: only
    /// what comes next). Any signed-in user may watch: the feed holds only what every one of them may see.
    /// An id that is not a trade's, or names no trade in the hall, is refused before any grain is activated.
    /// </summary>
    public async Task<long> Watch(string tradeId, long lastSeenId)
    {
        var key = TradeKey(tradeId);
        if (!await trades.ExistsAsync(key, Context.ConnectionAborted)) throw UnknownTrade();
        return await relay.WatchAsync(Context.ConnectionId, Inboxes.Trade(key), lastSeenId);
    }

    public async Task Unwatch(string tradeId) => await relay.UnwatchAsync(Context.ConnectionId, Inboxes.Trade(TradeKey(tradeId)));

    // A HubException is the one error a client is told about; anything else would be "an unexpected error".
    static string TradeKey(string? tradeId) => TradeIds.IsTrade(tradeId) ? tradeId! : throw UnknownTrade();

    static HubException UnknownTrade()
    {
        var (_, zh, en) = ProblemCatalog.Describe(ProblemCodes.NotFound);
        return new($"{ProblemCodes.NotFound}: {zh} / {en}");
    }

    public override Task OnDisconnectedAsync(Exception? exception) => relay.DisconnectAsync(Context.ConnectionId);
}
