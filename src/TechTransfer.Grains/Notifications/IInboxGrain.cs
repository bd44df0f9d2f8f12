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

    /// <summary>
    /// A page of the notification centre: the events before <paramref name="beforeId"/> (null: the newest), newest
    /// first, at most <paramref name="max"/>, each with whether it was read; and the inbox's counts.
    /// </summary>
    Task<InboxPage> PageAsync(long? beforeId, int max);

    /// <summary>How many events are unread, and the last id they were counted up to.</summary>
    Task<InboxCounts> CountsAsync();

    /// <summary>Marks one event read and returns the counts; null when the inbox holds no such event.</summary>
    Task<InboxCounts?> MarkReadAsync(long id);

    /// <summary>Marks every event up to <paramref name="upToId"/> read (no further than the last stored).</summary>
    Task<InboxCounts> MarkAllReadAsync(long upToId);

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

    public static string Region(string code) => "region:" + code;

    /// <summary>The public feed of a trade (auction, listing or tender): anyone signed in may watch it.</summary>
    public static string Trade(string tradeId) => "trade:" + tradeId;
}
