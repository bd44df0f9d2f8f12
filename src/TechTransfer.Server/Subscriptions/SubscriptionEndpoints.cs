using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Search;
using TechTransfer.Security;
using TechTransfer.Vocabulary;

namespace TechTransfer.Subscriptions;

/// <summary>
/// /api/subscriptions: the signed-in account's saved searches (订阅). Each is read, listed and deleted only by the
/// account that saved it: the store answers every other account as if it did not exist (404). Delivery of what a
/// subscription finds is the publishing host's (SubscriptionMatcher); here it is only read.
/// </summary>
public static class SubscriptionEndpoints
{
    public const int MaxNameLength = 50;

    /// <summary>The criteria as GET /api/search takes them (q, kind, field, province, region, trlMin, priceMax) and a name.</summary>
    public sealed record SubscriptionRequest(
        string? Name, string? Q, string? Kind, string? Field, string? Province, string? Region, int? TrlMin, decimal? PriceMax);

    public sealed record SubscriptionPage(IReadOnlyList<Subscription> Items, int Total, int Page, int Size);

    public sealed record ResultPage(IReadOnlyList<SubscriptionResult> Items, int Total, int Page, int Size);

    public static void MapSubscriptions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/subscriptions").WithTags("Subscriptions").RequireAuthorization();

        group.MapPost("/", async (SubscriptionRequest? body, HttpContext http, SubscriptionStore store, RegionDirectory regions, CancellationToken cancellation) =>
        {
            var actor = http.User.RequiredActor();
            var (name, criteria) = Validate(body ?? new(null, null, null, null, null, null, null, null), regions);
            if (SearchQuery.Parse(criteria.Q) is { FindsNothing: true } query)
                return NotSearchable(query.HintFor(0) ?? SearchQuery.NothingSearchable);
            var saved = await store.CreateAsync(actor.AccountId, actor.OrganizationId, name, criteria, cancellation);
            return Results.Created($"/api/subscriptions/{saved.Id}", saved);
        }).Produces<Subscription>(StatusCodes.Status201Created);

        group.MapGet("/", async (int? page, int? size, HttpContext http, SubscriptionStore store, CancellationToken cancellation) =>
        {
            var (p, s) = ListingHttp.Paging(page, size);
            var (items, total) = await store.ListAsync(http.User.RequiredActor().AccountId, (p - 1) * s, s, cancellation);
            return TypedResults.Ok(new SubscriptionPage(items, total, p, s));
        });

        group.MapGet("/{id}", async (string id, HttpContext http, SubscriptionStore store, CancellationToken cancellation) =>
        {
            var subscription = await OwnAsync(id, http, store, cancellation);
            return TypedResults.Ok(subscription with { Recent = await store.ResultsOfAsync(id, 0, SubscriptionStore.RecentShown, cancellation) });
        });

        // What it found, newest first, a page at a time: listings still on the market, their public facts only.
        group.MapGet("/{id}/results", async (string id, int? page, int? size, HttpContext http, SubscriptionStore store, CancellationToken cancellation) =>
        {
            var (p, s) = ListingHttp.Paging(page, size);
            var subscription = await OwnAsync(id, http, store, cancellation);
            return TypedResults.Ok(new ResultPage(await store.ResultsOfAsync(id, (p - 1) * s, s, cancellation), subscription.Found, p, s));
        });

        group.MapDelete("/{id}", async (string id, HttpContext http, SubscriptionStore store, CancellationToken cancellation) =>
            SubscriptionStore.IsId(id) && await store.DeleteAsync(http.User.RequiredActor().AccountId, id, cancellation)
                ? Results.NoContent()
                : throw new ProblemException(ProblemCodes.NotFound)).Produces(StatusCodes.Status204NoContent);
    }

    static async Task<Subscription> OwnAsync(string id, HttpContext http, SubscriptionStore store, CancellationToken cancellation) =>
        (SubscriptionStore.IsId(id) ? await store.GetAsync(http.User.RequiredActor().AccountId, id, cancellation) : null)
            ?? throw new ProblemException(ProblemCodes.NotFound);

    /// <summary>The filters as search checks them; the text is required here (a subscription without one would hear of everything).</summary>
    static (string Name, SubscriptionCriteria Criteria) Validate(SubscriptionRequest body, RegionDirectory regions)
    {
        var v = new Validation();
        var q = v.Text("q", body.Q, SearchEndpoints.MaxQueryLength);
        var name = v.Text("name", body.Name, MaxNameLength, required: false);
        var kind = body.Kind switch
        {
            null or "" or "all" => null,
            "achievement" or "demand" => body.Kind,
            _ => Fail(v, "kind", body.Kind),
        };
        var field = string.IsNullOrEmpty(body.Field) ? null : v.Enum<TechField>("field", body.Field)?.ToString();
        var province = string.IsNullOrEmpty(body.Province) ? null : v.Province("province", body.Province);
        if (!string.IsNullOrEmpty(body.Region) && regions.Find(body.Region) is null) v.Fail("region", "unknown-value", body.Region);
        if (body.TrlMin is not null) v.Range("trlMin", body.TrlMin, 1, 9);
        v.Amount("priceMax", body.PriceMax);
        v.ThrowIfInvalid();
        // Unnamed: the text names it (cut to the name's length).
        name ??= q!.Length <= MaxNameLength ? q : q[..MaxNameLength];
        return (name, new SubscriptionCriteria(q!, kind, field, province, string.IsNullOrEmpty(body.Region) ? null : body.Region, body.TrlMin, body.PriceMax));
    }

    static string? Fail(Validation v, string field, string value)
    {
        v.Fail(field, "unknown-value", value);
        return null;
    }

    /// <summary>A text without a searchable word is refused with the hint search would give it («的」是常用词…).</summary>
    static IResult NotSearchable(SearchHint hint)
    {
        var entry = ProblemCatalog.Describe(ProblemCodes.Validation);
        return TypedResults.Problem(detail: hint.En, statusCode: entry.Status, title: entry.En, type: $"urn:techtransfer:problem:{ProblemCodes.Validation}",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = ProblemCodes.Validation,
                ["titleZh"] = entry.Zh,
                ["detailZh"] = hint.Zh,
                ["errors"] = new[] { new { field = "q", rule = "not-searchable", zh = hint.Zh, en = hint.En } },
            });
    }
}
