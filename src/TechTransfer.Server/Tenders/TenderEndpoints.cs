using TechTransfer.Names;
using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Tenders;

/// <summary>
/// /api/tenders: create (the demand's enterprise), read (anyone signed in; sealed bids only after the opening),
/// submit a sealed bid (universities and institutes), award (the enterprise, after the opening). The grain decides.
/// </summary>
public static class TenderEndpoints
{
    public sealed record TenderInput(string? DemandId, DateTimeOffset? Deadline, string? Criteria, string? Description);

    public sealed record AttachmentInput(string? Name, long? SizeBytes, string? Sha256);

    public sealed record BidInput(string? ClientBidId, decimal? Price, string? Plan, int? DurationDays, AttachmentInput[]? Attachments);

    public sealed record AwardInput(int? BidNumber);

    public static void MapTenders(this IEndpointRouteBuilder app)
    {
        var tenders = app.MapGroup("/api/tenders").WithTags("Trading").RequireAuthorization();

        tenders.MapPost("/", async (TenderInput input, HttpContext http, IGrainFactory grains, TimeProvider clock) =>
        {
            var now = clock.GetUtcNow();
            var v = new Validation();
            var demandId = v.Text("demandId", input.DemandId, 64);
            if (demandId is not null && !demandId.StartsWith("dem-", StringComparison.Ordinal)) v.Fail("demandId", "invalid-format");
            if (input.Deadline is null) v.Fail("deadline", "required");
            else if (input.Deadline <= now) v.Fail("deadline", "in-past");
            else if (input.Deadline - now > TimeSpan.FromDays(180)) v.Fail("deadline", "max-days", "180");
            var criteria = v.Text("criteria", input.Criteria, 2000, multiline: true);
            var description = v.Text("description", input.Description, 2000, required: false, multiline: true);
            v.ThrowIfInvalid();
            var id = "tnd-" + Guid.CreateVersion7().ToString("N");
            var view = await grains.GetGrain<ITenderGrain>(id).CreateAsync(http.User.RequiredActor(),
                new TenderTerms(demandId!, input.Deadline!.Value, criteria!, description));
            return TypedResults.Created($"/api/tenders/{id}", view);
        });

        tenders.MapGet("/{id}", async (string id, HttpContext http, IGrainFactory grains, Names.DisplayNames names) =>
        {
            var view = await Tender(grains, id).GetAsync(http.User.RequiredActor()) ?? throw new ProblemException(ProblemCodes.NotFound);
            return TypedResults.Ok(await names.WithNamesAsync(view,
                [view.EnterpriseOrganizationId, .. (view.Bids ?? []).Select(b => b.OrganizationId)]));
        }).ProducesWithNames<TenderView>();

        tenders.MapPost("/{id}/bids", async (string id, BidInput input, HttpContext http, IGrainFactory grains) =>
        {
            var v = new Validation();
            var clientBidId = v.ClientId("clientBidId", input.ClientBidId);
            var price = v.Money("price", input.Price);
            var plan = v.Text("plan", input.Plan, 5000, multiline: true);
            var days = v.Range("durationDays", input.DurationDays, 1, 3650);
            var attachments = input.Attachments ?? [];
            if (attachments.Length > 20) v.Fail("attachments", "max-items", "20");
            var files = attachments.Take(20).Select((a, i) =>
            {
                var name = v.Text($"attachments[{i}].name", a.Name, 200);
                if (a.SizeBytes is not (>= 0 and <= 1L << 34)) v.Fail($"attachments[{i}].sizeBytes", "range", "0–17179869184");
                var sha = v.Text($"attachments[{i}].sha256", a.Sha256, 64, required: false);
                if (sha is not null && (sha.Length != 64 || !sha.All(Uri.IsHexDigit))) v.Fail($"attachments[{i}].sha256", "invalid-format");
                return new AttachmentInfo(name ?? "", a.SizeBytes ?? 0, sha?.ToLowerInvariant());
            }).ToArray();
            v.ThrowIfInvalid();
            return TypedResults.Ok(await Tender(grains, id).SubmitAsync(http.User.RequiredActor(), clientBidId!,
                new SealedBid(price!.Value, plan!, days!.Value, files)));
        });

        tenders.MapPost("/{id}/award", async (string id, AwardInput input, HttpContext http, IGrainFactory grains) =>
        {
            if (input.BidNumber is null) throw ProblemException.Invalid([new FieldError("bidId", "required")]);
            return TypedResults.Ok(await Tender(grains, id).AwardAsync(http.User.RequiredActor(), input.BidNumber.Value));
        });
    }

    static ITenderGrain Tender(IGrainFactory grains, string id) =>
        Trades.TradeIds.IsTender(id) ? grains.GetGrain<ITenderGrain>(id) : throw new ProblemException(ProblemCodes.NotFound);
}
