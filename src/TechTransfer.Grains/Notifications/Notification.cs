using System.Text.Json;
using TechTransfer.Matching;
using TechTransfer.Storage;

namespace TechTransfer.Notifications;

/// <summary>
/// An event as a stream (an inbox) holds it: the stream's own increasing id, the event's payload as JSON, and every
/// stream the event was sent to (<see cref="Streams"/>; null for events stored before delivery on read).
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.Notification")]
public sealed record Notification(
    [property: Id(0)] long Id, [property: Id(1)] string Type, [property: Id(2)] string EventId, [property: Id(3)] string Payload,
    [property: Id(4)] DateTimeOffset CreatedAt, [property: Id(5)] string[]? Streams = null)
{
    /// <summary>
    /// Whether a reader who follows <paramref name="followed"/> takes this event from <paramref name="stream"/>: an
    /// event sent to several streams the reader follows is taken from the first of them (ordinal order) only, so it
    /// arrives once however the reader reconnects. The streams are those of the event's first sending (tt_event keeps
    /// the first): sent again under its id to another audience, it names none of the new reader's, and is read where it is.
    /// </summary>
    public bool IsReadFrom(string stream, IReadOnlySet<string> followed) =>
        Streams is null || Streams.Where(followed.Contains).DefaultIfEmpty(stream).Min(StringComparer.Ordinal) == stream;
}

/// <summary>
/// An event before it enters streams: <paramref name="EventId"/> makes entering twice a no-op, and
/// <paramref name="Streams"/> names every stream it is sent to (stored with it, see <see cref="Notification.IsReadFrom"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.NotificationDraft")]
public sealed record NotificationDraft(
    [property: Id(0)] string Type, [property: Id(1)] string EventId, [property: Id(2)] string Payload, [property: Id(3)] string[]? Streams = null)
{
    public static NotificationDraft Of<T>(string eventId, T payload) where T : INetworkEvent =>
        new(T.Type, eventId, JsonSerializer.Serialize(payload, TechTransferJson.Options));
}

/// <summary>An event pushed to clients; its name is the client method it arrives on.</summary>
public interface INetworkEvent
{
    static abstract string Type { get; }

    /// <summary>The id in <see cref="Stream"/>, filled in when sent (clients keep the last one per stream and pass them to Resume).</summary>
    long NotificationId { get; init; }

    /// <summary>The stream the event was read from ("user:…", "org:…", "region:…", "national"), filled in when sent.</summary>
    string? Stream { get; init; }

    /// <summary>When the event entered the inbox (its own time), filled in when sent: a replayed event shows it, not the time of the replay.</summary>
    DateTimeOffset StoredAt { get; init; }
}

/// <summary>
/// A new match: to both parties' organizations and the brokers of both parties' regional centers. The publishers are
/// the two organizations' names (who is behind each side).
/// </summary>
public sealed record MatchFound(
    string MatchId, string AchievementId, string DemandId, int Score, string AchievementTitle, string DemandTitle,
    MatchExplanation Explanation, string? AchievementPublisher = null, string? DemandPublisher = null,
    string? AchievementOrganizationId = null, string? DemandOrganizationId = null) : INetworkEvent
{
    public static string Type => nameof(MatchFound);

    public long NotificationId { get; init; }

    public string? Stream { get; init; }

    public DateTimeOffset StoredAt { get; init; }
}

/// <summary>A listing went on the market: to its regional center and national, with the center's live counts.</summary>
public sealed record ListingPublished(
    string ListingId, string Kind, string Title, string TechField, string Province, string RegionCode,
    int RegionPublishedAchievements, int RegionPublishedDemands) : INetworkEvent
{
    public static string Type => nameof(ListingPublished);

    public long NotificationId { get; init; }

    public string? Stream { get; init; }

    public DateTimeOffset StoredAt { get; init; }
}

/// <summary>A deal moved (interest, lead, claim, stage): to both parties, both centers and national. Never a contact.</summary>
public sealed record DealUpdated(
    string DealId, string AchievementId, string DemandId, string AchievementTitle, string DemandTitle, string Stage,
    bool AchievementInterest, bool DemandInterest, string? ClaimedBy, string? LeadingRegion, string? AchievementRegion,
    string? DemandRegion, string Action, int Version) : INetworkEvent
{
    public static string Type => nameof(DealUpdated);

    public long NotificationId { get; init; }

    public string? Stream { get; init; }

    public DateTimeOffset StoredAt { get; init; }
}

/// <summary>A deal saw no activity for the configured time: to its broker (or, unclaimed, its centers' brokers).</summary>
public sealed record DealStale(
    string DealId, string AchievementTitle, string DemandTitle, string Stage, DateTimeOffset LastActivityAt, string? ClaimedBy) : INetworkEvent
{
    public static string Type => nameof(DealStale);

    public long NotificationId { get; init; }

    public string? Stream { get; init; }

    public DateTimeOffset StoredAt { get; init; }
}

/// <summary>
/// A technology contract was registered: to both parties, both centers and national (the trading index moved), and to
/// the broker it is attributed to (<see cref="Broker"/>), who is told when the parties registered it themselves.
/// </summary>
public sealed record ContractRegistered(
    string ContractNumber, string DealId, string TechField, string RegionCode, decimal ContractAmount, decimal TechTransactionAmount,
    string SigningDate, string? Broker = null) : INetworkEvent
{
    public static string Type => nameof(ContractRegistered);

    public long NotificationId { get; init; }

    public string? Stream { get; init; }

    public DateTimeOffset StoredAt { get; init; }
}

/// <summary>
/// Per-party news of a trade, to the users it concerns only: Outbid, Won, Lost (bidders); Sold, Unsold (seller);
/// Accepted, Taken (挂牌 buyer and the others who tried); Opened, Awarded, NotAwarded (招标). DealId once it is a lead.
/// </summary>
public sealed record TradeNotice(
    string TradeId, string Kind, string Title, string News, decimal? Amount, string? DealId, DateTimeOffset At) : INetworkEvent
{
    public static string Type => nameof(TradeNotice);

    public long NotificationId { get; init; }

    public string? Stream { get; init; }

    public DateTimeOffset StoredAt { get; init; }
}

/// <summary>
/// The public feed of one trade (inbox "trade:&lt;id&gt;"), for every signed-in watcher: bids with the bidder masked
/// ("竞买人 3"), extensions, the end. A tender's feed carries only the count of bids until they are opened.
/// </summary>
public sealed record TradeFeed(
    string TradeId, string Kind, string Status, string Event, int Sequence, decimal? Amount, string? Bidder, int Bids,
    DateTimeOffset At, DateTimeOffset EndsAt) : INetworkEvent
{
    public static string Type => nameof(TradeFeed);

    public long NotificationId { get; init; }

    public string? Stream { get; init; }

    public DateTimeOffset StoredAt { get; init; }
}

/// <summary>
/// A listing's validity runs out soon (TechTransfer:Listings:ReminderBefore ahead): to its owner organization's members
/// and inbox. Renewable unless it was renewed already.
/// </summary>
public sealed record ListingExpiring(string ListingId, string Kind, string Title, DateTimeOffset ExpiresAt, bool Renewable) : INetworkEvent
{
    public static string Type => nameof(ListingExpiring);

    public long NotificationId { get; init; }

    public string? Stream { get; init; }

    public DateTimeOffset StoredAt { get; init; }
}

/// <summary>
/// 科技成果评价 news (issue 19 item 4): <c>Invited</c> to the reviewer a center invited, <c>Published</c> to the
/// achievement's owner organization and every reviewer once the center published the summary.
/// </summary>
public sealed record EvaluationNews(string EvaluationId, string AchievementId, string AchievementTitle, string News) : INetworkEvent
{
    public static string Type => nameof(EvaluationNews);

    public long NotificationId { get; init; }

    public string? Stream { get; init; }

    public DateTimeOffset StoredAt { get; init; }
}
