using TechTransfer.Notifications;

namespace TechTransfer.Subscriptions;

/// <summary>
/// What a saved search looks for, as GET /api/search takes it: the text (required, with a searchable word) and the
/// filters, each null for "any", named as search's parameters. Kind is "achievement" or "demand"; Field a TechField name;
/// Region a regional center's code.
/// </summary>
public sealed record SubscriptionCriteria(
    string Q, string? Kind = null, string? Field = null, string? Province = null, string? Region = null,
    int? TrlMin = null, decimal? PriceMax = null);

/// <summary>One listing a subscription found, newest first; the public facts only (never a contact).</summary>
public sealed record SubscriptionResult(
    string ListingId, string Kind, string Title, string TechField, string Province, int Trl, decimal? Price, DateTimeOffset FoundAt);

/// <summary>A saved search as its owner sees it: the criteria, how many listings it found, and the latest of them.</summary>
public sealed record Subscription(
    string Id, string Name, SubscriptionCriteria Criteria, DateTimeOffset CreatedAt, int Found, IReadOnlyList<SubscriptionResult> Recent);

/// <summary>
/// A newly published listing a subscription finds: to its owner's inbox only ("订阅「name」有新成果：title"). The
/// publisher is the listing organization's name.
/// </summary>
public sealed record SubscriptionHit(
    string SubscriptionId, string SubscriptionName, string ListingId, string Kind, string Title, string TechField, string Province,
    string? Publisher) : INetworkEvent
{
    public static string Type => nameof(SubscriptionHit);

    public long NotificationId { get; init; }

    public string? Stream { get; init; }

    public DateTimeOffset StoredAt { get; init; }
}
