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

    // The previous build's notification centre (one account's inbox, read state in tt_inbox_read): kept for hosts of
    // that build during a rolling upgrade, never to be changed; this build reads streams through NotificationCentre.

    /// <summary>
    /// A page of the notification centre: the events before <paramref name="beforeId"/> (null: the newest), newest
    /// first, at most <paramref name="max"/>, each with whether it was read; and the inbox's counts.
    /// </summary>
    [Alias("PageAsync")]
    Task<InboxPage> PageAsync(long? beforeId, int max);

    /// <summary>How many events are unread, and the last id they were counted up to.</summary>
    [Alias("CountsAsync")]
    Task<InboxCounts> CountsAsync();

    /// <summary>Marks one event read and returns the counts; null when the inbox holds no such event.</summary>
    [Alias("MarkReadAsync")]
    Task<InboxCounts?> MarkReadAsync(long id);

    /// <summary>Marks every event up to <paramref name="upToId"/> read (no further than the last stored).</summary>
    [Alias("MarkAllReadAsync")]
    Task<InboxCounts> MarkAllReadAsync(long upToId);

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

/// <summary>One stored event and whether the account has read it.</summary>
[GenerateSerializer, Immutable, Alias("tt.InboxEntry")]
public sealed record InboxEntry([property: Id(0)] Notification Notification, [property: Id(1)] bool Read);

/// <summary>Unread events (all of them up to <paramref name="Last"/>, the newest stored when counted).</summary>
[GenerateSerializer, Immutable, Alias("tt.InboxCounts")]
public sealed record InboxCounts([property: Id(0)] int Unread, [property: Id(1)] long Last);

[GenerateSerializer, Immutable, Alias("tt.InboxPage")]
public sealed record InboxPage([property: Id(0)] InboxEntry[] Items, [property: Id(1)] InboxCounts Counts);

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
