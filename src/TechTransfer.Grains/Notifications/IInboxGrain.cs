using Orleans.Concurrency;

namespace TechTransfer.Notifications;

/// <summary>
/// A persisted, bounded stream of events (an inbox); key "user:&lt;account&gt;", "org:&lt;organization&gt;", "region:&lt;code&gt;",
/// "national" or "trade:&lt;id&gt;". The grain assigns ids one after another, so a stream's events have one order.
/// </summary>
[Alias("tt.IInboxGrain")]
public interface IInboxGrain : IGrainWithStringKey
{
    /// <summary>Stores the event (once per event id) and pushes it to the subscribed hosts.</summary>
    [Alias("AppendAsync")]
    Task AppendAsync(NotificationDraft draft);

    /// <summary>The events after <paramref name="afterId"/>, oldest first (at most <paramref name="max"/>).</summary>
    [Alias("ReadAfterAsync")]
    Task<Notification[]> ReadAfterAsync(long afterId, int max);

    /// <summary>The last id stored and pushed: what a reader may count as there.</summary>
    [Alias("LastAsync")]
    Task<long> LastAsync();

    /// <summary>A host with connections of this recipient; renewed while they last. Returns the last id.</summary>
    [Alias("SubscribeAsync")]
    Task<long> SubscribeAsync(string hostId, IInboxObserver observer);

    [Alias("UnsubscribeAsync")]
    Task UnsubscribeAsync(string hostId);
}

/// <summary>A host's relay to its SignalR connections.</summary>
[Alias("tt.IInboxObserver")]
public interface IInboxObserver : IGrainObserver
{
    [OneWay]
    [Alias("DeliverAsync")]
    Task DeliverAsync(string inbox, Notification notification);
}

public static class Inboxes
{
    public static string User(string accountId) => "user:" + accountId;

    public static string Organization(string organizationId) => "org:" + organizationId;

    /// <summary>A regional center's stream: read by its brokers.</summary>
    public static string Region(string code) => "region:" + code;

    /// <summary>The national stream: read by the members of the national level (火炬中心).</summary>
    public const string National = "national";

    /// <summary>The public feed of a trade (auction, listing or tender): anyone signed in may watch it.</summary>
    public static string Trade(string tradeId) => "trade:" + tradeId;
}
