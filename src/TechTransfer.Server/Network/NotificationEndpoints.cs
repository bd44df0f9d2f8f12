using System.Text.Json;
using System.Text.Json.Serialization;
using TechTransfer.Notifications;
using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Network;

/// <summary>
/// /api/notifications: the signed-in account's notification centre, read from the same stored inbox the hub's
/// Resume replays (user:&lt;account&gt;), with each event's stored time and whether it was read. Nobody reads
/// another account's inbox: there is no id to ask for one.
/// </summary>
public static class NotificationEndpoints
{
    public sealed record ReadAllRequest(long? UpTo);

    /// <summary>
    /// One event of the centre: its type (the hub method it arrived on), inbox id, stored time and whether it was read;
    /// next to them the event's own members as the hub sends them (its message in /asyncapi.json, by type).
    /// </summary>
    public sealed record NotificationItem(string Type, long NotificationId, DateTimeOffset StoredAt, bool Read)
    {
        [JsonExtensionData] public Dictionary<string, JsonElement>? Event { get; init; }
    }

    /// <summary>A page, newest first: <paramref name="Next"/> is "before" for the next (older) page, null on the last one.</summary>
    public sealed record NotificationPage(IReadOnlyList<NotificationItem> Items, int Unread, long Last, long? Next);

    public static void MapNotifications(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization();

        // Newest first; "before" is the id of the last item of the previous page (an inbox keeps its latest
        // InboxGrain.Capacity events, so paging ends there by itself).
        notifications.MapGet("/", async (long? before, int? size, HttpContext http, IGrainFactory grains) =>
        {
            var v = new Validation();
            if (before < 1) v.Fail("before", "positive");
            v.Range("size", size ?? 20, 1, Listings.ListingHttp.MaxPageSize);
            v.ThrowIfInvalid();
            var wanted = size ?? 20;
            // One more than asked: whether an older page exists, without promising one that would be empty.
            var page = await Inbox(http, grains).PageAsync(before, wanted + 1);
            var shown = page.Items.Take(wanted).ToArray();
            return TypedResults.Ok(new NotificationPage([.. shown.Select(Item)], page.Counts.Unread, page.Counts.Last,
                page.Items.Length > wanted ? shown[^1].Notification.Id : null)); // "before" of the next page
        });

        notifications.MapGet("/unread", async (HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok(await Inbox(http, grains).CountsAsync()));

        notifications.MapPost("/{id:long}/read", async (long id, HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok(await Inbox(http, grains).MarkReadAsync(id) ?? throw new ProblemException(ProblemCodes.NotFound)));

        // 全部标为已读: up to the newest event the page has shown (upTo), so one that arrives meanwhile stays unread.
        notifications.MapPost("/read-all", async (ReadAllRequest? body, HttpContext http, IGrainFactory grains) =>
        {
            var v = new Validation();
            if (body?.UpTo < 0) v.Fail("upTo", "not-negative");
            v.ThrowIfInvalid();
            return TypedResults.Ok(await Inbox(http, grains).MarkAllReadAsync(body?.UpTo ?? long.MaxValue));
        });
    }

    static IInboxGrain Inbox(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<IInboxGrain>(Inboxes.User(http.User.RequiredActor().AccountId));

    /// <summary>The event as the hub sends it (its payload, its inbox id and stored time), its type and whether it was read.</summary>
    static NotificationItem Item(InboxEntry entry)
    {
        var n = entry.Notification;
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(n.Payload) ?? [];
        foreach (var own in (string[])["type", "notificationId", "storedAt", "read"]) payload.Remove(own); // the item's own, not the payload's
        return new NotificationItem(n.Type, n.Id, n.CreatedAt, entry.Read) { Event = payload };
    }
}
