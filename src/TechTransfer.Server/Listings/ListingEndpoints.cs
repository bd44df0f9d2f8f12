using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using TechTransfer.Storage;
using TechTransfer.Accounts;
using TechTransfer.Idempotency;
using TechTransfer.Matching;
using TechTransfer.Names;
using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Listings;

/// <summary>How one kind of listing is offered over HTTP; the routes are the same for achievements and demands.</summary>
public sealed record ListingRoutes<TInput, TContent>(
    string Path,
    ListingKind Kind,
    Func<string, bool> IsId,
    Func<string?, string> NewId,
    Func<TInput, TimeProvider, TContent> Validate,
    Func<string?, string?> ParseStatus);

public static class ListingEndpoints
{
    public sealed record Created(string Id);

    /// <summary>The shape of a list page (ListingPage holds the views as stored JSON): for the OpenAPI document.</summary>
    public sealed record ViewPage<TView>(IReadOnlyList<TView> Items, int Page, int Size, long? Total, bool TotalCapped, string? Next);

    /// <summary>What a publish found: the number of matches and a sentence for the publisher.</summary>
    public sealed record PublishedMatching(int Found, string Zh, string En)
    {
        public static PublishedMatching Of(ListingKind kind, int found)
        {
            var (otherZh, otherEn) = kind == ListingKind.Achievement ? ("需求", "demand") : ("成果", "achievement");
            return found == 0
                ? new(0, $"暂无匹配，有新{otherZh}时会通知您", $"No match yet; you will be told when a fitting {otherEn} is posted")
                : new(found, $"找到 {found} 个匹配", $"{found} match{(found == 1 ? "" : "es")} found");
        }
    }

    /// <summary>
    /// POST / (create), GET / (list), GET /{id}, PUT /{id} (If-Match), POST /{id}/publish. The caller adds the
    /// kind's own way off the market (withdraw, close) to the returned group.
    /// </summary>
    public static RouteGroupBuilder MapListings<TGrain, TInput, TContent, TView>(
        this IEndpointRouteBuilder app, ListingRoutes<TInput, TContent> routes, string tag)
        where TGrain : IListingGrain<TContent, TView>
        where TView : IVersioned
    {
        var group = app.MapGroup(routes.Path).WithTags(tag);

        group.MapPost("/", async (TInput input, HttpContext http, IGrainFactory grains, TimeProvider clock) =>
        {
            var actor = http.User.RequiredActor();
            var content = routes.Validate(input, clock);
            var retry = http.Features.Get<IdempotentRequest>();
            var id = routes.NewId(retry?.Seed);
            var grain = grains.GetGrain<TGrain>(id);
            TView view;
            try
            {
                view = await grain.CreateAsync(actor, content);
            }
            catch (ProblemException e) when (e.Code == ProblemCodes.AlreadyExists && retry is not null)
            {
                // The first attempt with this key created it but its answer was lost (its host died): the id is
                // derived from this account's key, so the listing is this account's.
                view = await grain.GetAsync(actor) ?? throw new ProblemException(ProblemCodes.AlreadyExists);
            }
            http.Response.Headers.ETag = ListingHttp.ETag(view.Version);
            return TypedResults.Created($"{routes.Path}/{id}", new Created(id));
        }).RequireAuthorization();

        // Numbered pages reach the first thousand rows; "after" (a page's "next") walks the whole list.
        group.MapGet("/", async (string? owner, string? status, int? page, int? size, string? after, HttpContext http, ListingProjection listings,
            CancellationToken cancellation) =>
        {
            ListingCursor? cursor = null;
            if (after is not null)
            {
                if (page is not null) throw ProblemException.Invalid([new FieldError("page", "page-or-after")]);
                cursor = ListingCursor.Parse(after) ?? throw ProblemException.Invalid([new FieldError("after", "invalid-format")]);
            }
            var (p, s) = ListingHttp.Paging(cursor is null ? page : 1, size);
            // Organization ids are short and printable; PostgreSQL refuses a NUL in text, which must not look like an outage.
            if (owner is not null && (owner.Length > 64 || owner.Any(char.IsControl)))
                throw ProblemException.Invalid([new FieldError("owner", "invalid-format")]);
            return TypedResults.Ok(await listings.QueryAsync(routes.Kind, owner, routes.ParseStatus(status), http.User.Actor(), p, s, cursor, cancellation));
        }).Produces<ViewPage<TView>>();

        // With "names": the publisher's name next to ownerOrganizationId.
        group.MapGet("/{id}", async (string id, HttpContext http, IGrainFactory grains, Names.DisplayNames names) =>
        {
            var view = await Grain<TGrain>(grains, routes.IsId, id).GetAsync(http.User.Actor()) ?? throw new ProblemException(ProblemCodes.NotFound);
            var owner = JsonSerializer.SerializeToNode(view, TechTransferJson.Options)?["ownerOrganizationId"]?.GetValue<string>();
            return ListingHttp.WithETag(http, await names.WithNamesAsync(view, [owner]), view.Version);
        }).ProducesWithNames<TView>();

        group.MapPut("/{id}", async (string id, TInput input, HttpContext http, IGrainFactory grains, TimeProvider clock) =>
        {
            var actor = http.User.RequiredActor();
            var version = ListingHttp.IfMatchVersion(http.Request);
            var content = routes.Validate(input, clock);
            return await Respond(http, Grain<TGrain>(grains, routes.IsId, id).UpdateAsync(actor, content, version));
        }).RequireAuthorization().Produces<TView>();

        group.MapGet("/{id}/matches", async (string id, HttpContext http, IGrainFactory grains, ListingMatcher matcher, Names.DisplayNames names,
            Reputation.CreditRecords credit, CancellationToken cancellation) =>
        {
            // Whoever may see the listing may see its matches; contacts are never part of a match.
            _ = await Grain<TGrain>(grains, routes.IsId, id).GetAsync(http.User.Actor()) ?? throw new ProblemException(ProblemCodes.NotFound);
            var matches = await matcher.ForListingAsync(routes.Kind, id, limit: 50, cancellation);
            // Each with "names" and 信誉 "grades" of both publishers: a match card says who is behind each side and their record.
            var grades = await credit.GradesAsync(matches.SelectMany(m => new[] { m.AchievementOrganizationId, m.DemandOrganizationId }), cancellation);
            return TypedResults.Ok(await Task.WhenAll(Reputation.CreditRecords.RankTies(matches, grades, routes.Kind).Select(async m =>
            {
                var item = await names.WithNamesAsync(m, [m.AchievementOrganizationId, m.DemandOrganizationId]);
                item["grades"] = JsonSerializer.SerializeToNode(
                    Reputation.CreditRecords.Pick(grades, m.AchievementOrganizationId, m.DemandOrganizationId), TechTransferJson.Options);
                return item;
            })));
        }).ProducesWithNames<StoredMatch, Reputation.GradesBeside>(many: true);

        // The publisher is told at once whether anything fits: the view plus "matching" (how many, and what that means).
        group.MapPost("/{id}/publish", async (string id, HttpContext http, IGrainFactory grains, ListingMatcher matcher, CancellationToken cancellation) =>
        {
            var view = await Grain<TGrain>(grains, routes.IsId, id).PublishAsync(http.User.RequiredActor());
            var found = (await matcher.ForListingAsync(routes.Kind, id, limit: 50, cancellation)).Count;
            var body = JsonSerializer.SerializeToNode(view, TechTransferJson.Options)!.AsObject();
            body["matching"] = JsonSerializer.SerializeToNode(PublishedMatching.Of(routes.Kind, found), TechTransferJson.Options);
            return ListingHttp.WithETag(http, body, view.Version);
        }).RequireAuthorization().ProducesWith<TView, PublishedMatching>("matching");

        // Once per listing, by its owner: a new validity period from now (and back on the market if it had expired).
        group.MapPost("/{id}/renew", (string id, HttpContext http, IGrainFactory grains) =>
            Respond(http, Grain<TGrain>(grains, routes.IsId, id).RenewAsync(http.User.RequiredActor()))).RequireAuthorization().Produces<TView>();

        return group;
    }

    /// <summary>Maps a kind-specific status change, e.g. POST /{id}/withdraw.</summary>
    public static void MapListingAction<TGrain, TView>(this RouteGroupBuilder group, [StringSyntax("Route")] string pattern, Func<string, bool> isId,
        Func<TGrain, Actor, Task<TView>> change)
        where TGrain : IGrainWithStringKey
        where TView : IVersioned =>
        group.MapPost(pattern, (string id, HttpContext http, IGrainFactory grains) =>
            Respond(http, change(Grain<TGrain>(grains, isId, id), http.User.RequiredActor()))).RequireAuthorization().Produces<TView>();

    static async Task<IResult> Respond<TView>(HttpContext http, Task<TView> change) where TView : IVersioned
    {
        var view = await change;
        return ListingHttp.WithETag(http, view, view.Version);
    }

    // Malformed ids never reach a grain: no activation for garbage keys.
    static TGrain Grain<TGrain>(IGrainFactory grains, Func<string, bool> isId, string id) where TGrain : IGrainWithStringKey =>
        isId(id) ? grains.GetGrain<TGrain>(id) : throw new ProblemException(ProblemCodes.NotFound);
}
