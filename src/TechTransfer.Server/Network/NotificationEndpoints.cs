using System.Text.Json;
using System.Text.Json.Serialization;
using TechTransfer.Notifications;
using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Network;

/// <summary>
/// /api/notifications: the signed-in account's notification centre, read from the same stored streams the hub's
/// Resume replays (<see cref="NotificationCentre"/>: the account's own, its organization's, its center's, national),
/// with each event's stored time and whether this account read it. Nobody reads a stream they are not entitled to:
/// the server decides which streams an account reads, and a stream named otherwise is not found.
/// </summary>
public static class NotificationEndpoints
{
    /// <summary>Up to the last id of each stream the page has shown (its <c>last</c>); none: everything stored.</summary>
    public sealed record ReadAllRequest(Dictionary<string, long>? UpTo);

    /// <summary>
    /// One event of the centre: its type (the hub method it arrived on), its stream and id there, stored time and whether
    /// it was read; next to them the event's own members as the hub sends them (its message in /asyncapi.json, by type).
    /// </summary>
    public sealed record NotificationItem(string Type, string Stream, long NotificationId, DateTimeOffset StoredAt, bool Read)
    {
        [JsonExtensionData] public Dictionary<string, JsonElement>? Event { get; init; }
    }

    /// <summary>Unread events: all of them up to <paramref name="Last"/> in each stream (the newest stored when counted).</summary>
    public sealed record UnreadCounts(int Unread, Dictionary<string, long> Last);

    /// <summary>A page, newest first: <paramref name="Next"/> is "before" for the next (older) page, null on the last one.</summary>
    public sealed record NotificationPage(IReadOnlyList<NotificationItem> Items, int Unread, Dictionary<string, long> Last, string? Next);

    public static void MapNotifications(this IEndpointRouteBuilder app)
    {
        var notifications = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization();

        // Newest first; "before" is the previous page's "next" (each stream keeps its latest InboxGrain.Capacity
        // events, so paging ends there by itself).
        notifications.MapGet("/", async (string? before, int? size, HttpContext http, IGrainFactory grains, NotificationCentre centre) =>
        {
            var v = new Validation();
            var from = before is null ? null : NotificationCentre.Position.Parse(before);
            if (before is not null && from is null) v.Fail("before", "invalid-format");
            v.Range("size", size ?? 20, 1, Listings.ListingHttp.MaxPageSize);
            v.ThrowIfInvalid();
            var (account, streams) = await ReaderAsync(http, grains);
            var wanted = size ?? 20;
            // One more than asked: whether an older page exists, without promising one that would be empty.
            var counts = await centre.CountsAsync(account, streams);
            var page = await centre.PageAsync(account, streams, from, wanted + 1);
            var shown = page.Take(wanted).ToArray();
            return TypedResults.Ok(new NotificationPage([.. shown.Select(Item)], counts.Unread, counts.Last,
                page.Length > wanted ? new NotificationCentre.Position(shown[^1].Notification.CreatedAt, shown[^1].Stream, shown[^1].Notification.Id).ToString() : null));
        });

        notifications.MapGet("/unread", async (HttpContext http, IGrainFactory grains, NotificationCentre centre) =>
        {
            var (account, streams) = await ReaderAsync(http, grains);
            return TypedResults.Ok(Unread(await centre.CountsAsync(account, streams)));
        });

        // The event's stream as the item names it; without one, the account's own.
        notifications.MapPost("/{id:long}/read", async (long id, string? stream, HttpContext http, IGrainFactory grains, NotificationCentre centre) =>
        {
            var (account, streams) = await ReaderAsync(http, grains);
            var from = stream ?? Inboxes.User(account);
            if (!streams.Contains(from) || !await centre.MarkReadAsync(account, from, id)) throw new ProblemException(ProblemCodes.NotFound);
            return TypedResults.Ok(Unread(await centre.CountsAsync(account, streams)));
        });

        // 全部标为已读: up to the newest event the page has shown (upTo), so one that arrives meanwhile stays unread.
        notifications.MapPost("/read-all", async (ReadAllRequest? body, HttpContext http, IGrainFactory grains, NotificationCentre centre) =>
        {
            var v = new Validation();
            if (body?.UpTo?.Values.Any(id => id < 0) == true) v.Fail("upTo", "not-negative");
            v.ThrowIfInvalid();
            var (account, streams) = await ReaderAsync(http, grains);
            await centre.MarkAllReadAsync(account, streams, body?.UpTo);
            return TypedResults.Ok(Unread(await centre.CountsAsync(account, streams)));
        });
    }

    static UnreadCounts Unread(NotificationCentre.Counts counts) => new(counts.Unread, counts.Last);

    static async Task<(string Account, string[] Streams)> ReaderAsync(HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.RequiredActor();
        return (actor.AccountId, await Audiences.OfAsync(grains, actor));
    }

    /// <summary>The event as the hub sends it (its payload, stream, id and stored time), its type and whether it was read.</summary>
    static NotificationItem Item(NotificationCentre.Entry entry)
    {
        var n = entry.Notification;
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(n.Payload) ?? [];
        foreach (var own in (string[])["type", "stream", "notificationId", "storedAt", "read"]) payload.Remove(own); // the item's own, not the payload's
        return new NotificationItem(n.Type, entry.Stream, n.Id, n.CreatedAt, entry.Read) { Event = payload };
    }
}
