namespace TechTransfer.Tenders;

public enum TenderStatus
{
    Open,
    Opened,
    Awarded,
}

/// <summary>Stored under state name "tender". The sealed bids live here and nowhere else (no event, projection or log).</summary>
[GenerateSerializer, Alias("tt.TenderState")]
public sealed class TenderState
{
    [Id(0)] public TenderTerms? Terms { get; set; }
    [Id(1)] public string Title { get; set; } = "";
    [Id(2)] public string TechField { get; set; } = "";
    [Id(3)] public string EnterpriseOrganizationId { get; set; } = "";
    [Id(4)] public string? Region { get; set; }
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public TenderStatus Status { get; set; }
    [Id(7)] public List<TenderBidEntry> Bids { get; set; } = [];
    [Id(8)] public DateTimeOffset? OpenedAt { get; set; }
    [Id(9)] public int? AwardedBidNumber { get; set; }
    /// <summary>The step after the last status change (opening or award) has told everyone.</summary>
    [Id(10)] public bool Announced { get; set; }
    [Id(11)] public int Version { get; set; }
}

[GenerateSerializer, Alias("tt.TenderBidEntry")]
public sealed record TenderBidEntry(
    [property: Id(0)] int Number, [property: Id(1)] string ClientBidId, [property: Id(2)] string Account, [property: Id(3)] string OrganizationId,
    [property: Id(4)] SealedBid Bid, [property: Id(5)] DateTimeOffset SubmittedAt);
