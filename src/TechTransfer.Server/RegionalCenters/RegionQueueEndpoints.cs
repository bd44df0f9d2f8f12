using System.Text.Json;
using System.Text.Json.Nodes;
using TechTransfer.Deals;
using TechTransfer.Listings;
using TechTransfer.Names;
using TechTransfer.Problems;
using TechTransfer.Security;
using TechTransfer.Storage;
using TechTransfer.Vocabulary;

namespace TechTransfer.RegionalCenters;

/// <summary>
/// GET /api/regions/{code}/leads: a center's work queue — its leads and deals, paged, filtered and sorted by the
/// server, with counts of the whole queue. For the center's brokers and admins and the national level, nobody else.
/// </summary>
public static class RegionQueueEndpoints
{
    /// <summary>An open deal without activity for longer than this has gone quiet (the queue's "超过 7 天无进展").</summary>
    public static readonly TimeSpan QuietAfter = TimeSpan.FromDays(7);

    /// <summary>Lead ages the queue filters by: since the start of today in China, or the last 7 or 30 days.</summary>
    public static readonly string[] Ages = ["today", "7d", "30d"];

    /// <summary>
    /// A page of the queue. Items are the rows with "names" (organizations, the leading broker and center) and
    /// "mayClaim" (whether this viewer may take the lead now; the deal grain decides again when they do).
    /// </summary>
    /// <summary>
    /// What a queue row carries beside the row and its names: whether this viewer may take the lead now, and the 信誉
    /// grade of both organizations (organization id → grade).
    /// </summary>
    public sealed record QueueItemBeside(bool MayClaim, IReadOnlyDictionary<string, string> Grades);

    public sealed record RegionQueueResponse(
        IReadOnlyList<JsonObject> Items, int Page, int Size, int Total, RegionQueueCounts Counts, IReadOnlyDictionary<string, int> OpenByField);

    public static void MapRegionQueue(this RouteGroupBuilder regions) =>
        regions.MapGet("/{code}/leads", async (string code, string? queue, string? stage, string? techField, string? province, int? minScore,
            int? maxScore, string? age, string? sort, int? page, int? size, HttpContext http, RegionDirectory directory,
            DealProjection projection, Names.DisplayNames names, Reputation.CreditRecords credit, TimeProvider clock, CancellationToken cancellation) =>
        {
            var actor = http.User.RequiredActor();
            var region = directory.Find(code) ?? throw new ProblemException(ProblemCodes.NotFound);
            var staff = actor.Role is Role.Broker or Role.CenterAdmin && actor.RegionCode == code;
            if (!staff && !actor.IsNationalAdmin) throw new ProblemException(ProblemCodes.Forbidden);

            var v = new Validation();
            var shown = OneOf(v, "queue", queue, RegionQueueQuery.Queues) ?? RegionQueueQuery.All;
            var dealStage = string.IsNullOrEmpty(stage) ? null : v.Enum<DealStage>("stage", stage);
            var inField = string.IsNullOrEmpty(techField) ? null : v.Enum<TechField>("techField", techField);
            var inProvince = string.IsNullOrEmpty(province) ? null : v.Province("province", province);
            if (inProvince is not null && !region.Provinces.Contains(inProvince)) v.Fail("province", "unknown-value", inProvince);
            var low = v.Range("minScore", minScore ?? 0, 0, 100) ?? 0;
            var high = v.Range("maxScore", maxScore ?? 100, 0, 100) ?? 100;
            if (low > high) v.Fail("minScore", "range", $"0–{high}");
            var since = OneOf(v, "age", age, Ages);
            var order = OneOf(v, "sort", sort, RegionQueueQuery.Sorts) ?? RegionQueueQuery.Newest;
            v.ThrowIfInvalid();
            var (p, s) = ListingHttp.Paging(page, size);

            var now = clock.GetUtcNow();
            var result = await projection.RegionQueueAsync(new RegionQueueQuery(code, actor.AccountId, shown, dealStage, inField, inProvince,
                low, high, since is null ? null : LeadSince(since, now), now - QuietAfter, order, p, s), cancellation);
            var grades = await credit.GradesAsync(result.Rows.SelectMany(r => new[] { r.AchievementOrganizationId, r.DemandOrganizationId }), cancellation);
            var items = await Task.WhenAll(result.Rows.Select(async r =>
            {
                var item = await names.WithNamesAsync(r, [r.AchievementOrganizationId, r.DemandOrganizationId, r.ClaimedBy, r.LeadingRegion]);
                var beside = new QueueItemBeside(staff && r.Stage == nameof(DealStage.Lead) && r.ClaimedBy is null,
                    Reputation.CreditRecords.Pick(grades, r.AchievementOrganizationId, r.DemandOrganizationId));
                foreach (var (name, value) in JsonSerializer.SerializeToNode(beside, TechTransferJson.Options)!.AsObject()) item[name] = value?.DeepClone();
                return item;
            }));
            return TypedResults.Ok(new RegionQueueResponse(items, p, s, result.Total, result.Counts, result.OpenByField));
        }).WithTags("Deals").RequireAuthorization().ProducesPageWithNames<RegionQueueResponse, RegionQueueRow, QueueItemBeside>();

    /// <summary>The first instant of a lead age: today starts at midnight in China.</summary>
    public static DateTimeOffset LeadSince(string age, DateTimeOffset now) => age switch
    {
        "today" => new DateTimeOffset(now.ToOffset(ChinaTime.Offset).Date, ChinaTime.Offset),
        "7d" => now.AddDays(-7),
        _ => now.AddDays(-30),
    };

    static string? OneOf(Validation v, string name, string? value, string[] allowed)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (allowed.Contains(value)) return value;
        v.Fail(name, "unknown-value", value.Length > 20 ? value[..20] : value);
        return null;
    }
}
