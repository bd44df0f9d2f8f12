using Orleans.Concurrency;

namespace TechTransfer.Notifications;

/// <summary>
/// A persisted, bounded inbox; key "user:&lt;account&gt;", "org:&lt;organization&gt;", "region:&lt;code&gt;" or "trade:&lt;id&gt;".
/// The grain assigns ids one after another, so a recipient's events have one order.
/// </summary>
public interface IInboxGrain : IGrainWithStringKey
{
    /// <summary>Stores the event (once per event id) and pushes it to the subscribed hosts.</summary>
    Task AppendAsync(NotificationDraft draft);

    /// <summary>The events after <paramref name="afterId"/>, oldest first (at most <paramref name="max"/>).</summary>
    Task<Notification[]> ReadAfterAsync(long afterId, int max);

    /// <summary>A host with connections of this recipient; renewed while they last. Returns the last id.</summary>
    Task<long> SubscribeAsync(string hostId, IInboxObserver observer);

    Task UnsubscribeAsync(string hostId);
}

/// <summary>A host's relay to its SignalR connections.</summary>
public interface IInboxObserver : IGrainObserver
{
    [OneWay]
    Task DeliverAsync(string inbox, Notification notification);
}

public static class Inboxes
{
    public static string User(string accountId) => "user:" + accountId;

    public static string Organization(string organizationId) => "org:" + organizationId;

    public static string Region(string code) => "region:" + code;

    /// <summary>The public feed of a trade (auction, listing or tender): anyone signed in may watch it.</summary>
    public static string Trade(string tradeId) => "trade:" + tradeId;
}
