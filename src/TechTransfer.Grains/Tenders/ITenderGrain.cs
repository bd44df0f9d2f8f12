using TechTransfer.Accounts;

namespace TechTransfer.Tenders;

/// <summary>
/// One per 招标 (an enterprise's demand put out to tender); key = "tnd-…". Holds the sealed bids and is the only
/// thing that could reveal them: before the deadline no method returns more than their count, to anyone.
/// </summary>
[Alias("tt.ITenderGrain")]
public interface ITenderGrain : IGrainWithStringKey
{
    /// <summary>A member of the demand's (enterprise) owner turns the published demand into a tender.</summary>
    [Alias("CreateAsync")]
    Task<TenderView> CreateAsync(Actor actor, TenderTerms terms);

    /// <summary>The tender as <paramref name="viewer"/> may see it: before the opening only counts and their own receipt.</summary>
    [Alias("GetAsync")]
    Task<TenderView?> GetAsync(Actor viewer);

    /// <summary>
    /// A university or institute submits its sealed bid before the deadline; one per organization, idempotent per
    /// (organization, <paramref name="clientBidId"/>). The answer is a receipt, never the bid.
    /// </summary>
    [Alias("SubmitAsync")]
    Task<TenderReceipt> SubmitAsync(Actor actor, string clientBidId, SealedBid bid);

    /// <summary>After the opening, the enterprise awards one bid; every bidder is told.</summary>
    [Alias("AwardAsync")]
    Task<TenderView> AwardAsync(Actor actor, int bidNumber);

    /// <summary>The awarded bid's price in 万元, null until awarded. For price guidance (Valuation), which decides who sees it.</summary>
    [Alias("AwardedPriceAsync")]
    Task<decimal?> AwardedPriceAsync();
}

/// <summary>Criteria: 评标办法; Description: the enterprise's 招标说明 (optional).</summary>
[GenerateSerializer, Immutable, Alias("tt.TenderTerms")]
public sealed record TenderTerms(
    [property: Id(0)] string DemandId, [property: Id(1)] DateTimeOffset Deadline, [property: Id(2)] string Criteria,
    [property: Id(3)] string? Description = null);

/// <summary>An attachment's metadata (the file itself is exchanged off-platform).</summary>
[GenerateSerializer, Immutable, Alias("tt.AttachmentInfo")]
public sealed record AttachmentInfo([property: Id(0)] string Name, [property: Id(1)] long SizeBytes, [property: Id(2)] string? Sha256);

/// <summary>What a bidder offers: price in 万元, the plan, the duration in days, attachments' metadata.</summary>
[GenerateSerializer, Immutable, Alias("tt.SealedBid")]
public sealed record SealedBid(
    [property: Id(0)] decimal Price, [property: Id(1)] string Plan, [property: Id(2)] int DurationDays, [property: Id(3)] AttachmentInfo[] Attachments);

[GenerateSerializer, Immutable, Alias("tt.TenderReceipt")]
public sealed record TenderReceipt(
    [property: Id(0)] string TenderId, [property: Id(1)] int BidNumber, [property: Id(2)] string ClientBidId, [property: Id(3)] DateTimeOffset SubmittedAt);

/// <summary>An opened bid.</summary>
[GenerateSerializer, Immutable, Alias("tt.TenderBidView")]
public sealed record TenderBidView(
    [property: Id(0)] int BidNumber, [property: Id(1)] string OrganizationId, [property: Id(2)] SealedBid Bid,
    [property: Id(3)] DateTimeOffset SubmittedAt, [property: Id(4)] bool Awarded);

/// <summary>Status: Open (taking sealed bids), Opened (开标), Awarded. Bids is null until the opening.</summary>
[GenerateSerializer, Immutable, Alias("tt.TenderView")]
public sealed record TenderView(
    [property: Id(0)] string Id, [property: Id(1)] string DemandId, [property: Id(2)] string Title, [property: Id(3)] string TechField,
    [property: Id(4)] string EnterpriseOrganizationId, [property: Id(5)] string Status, [property: Id(6)] DateTimeOffset Deadline,
    [property: Id(7)] string Criteria, [property: Id(8)] int BidCount, [property: Id(9)] TenderBidView[]? Bids,
    [property: Id(10)] TenderReceipt? MyReceipt, [property: Id(11)] DateTimeOffset? OpenedAt, [property: Id(12)] int? AwardedBidNumber,
    [property: Id(13)] string? DealId, [property: Id(14)] bool IsOwner, [property: Id(15)] string? Description = null);
