namespace TechTransfer.FixedPriceListings;

/// <summary>Stored under state name "fixed-price-listing".</summary>
[GenerateSerializer, Alias("tt.FixedPriceListingState")]
public sealed class FixedPriceListingState
{
    [Id(0)] public FixedPriceTerms? Terms { get; set; }
    [Id(1)] public string Title { get; set; } = "";
    [Id(2)] public string TechField { get; set; } = "";
    [Id(3)] public string SellerOrganizationId { get; set; } = "";
    [Id(4)] public string? Region { get; set; }
    [Id(5)] public string CreatedBy { get; set; } = "";
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
    [Id(7)] public DateTimeOffset? AcceptedAt { get; set; }
    [Id(8)] public string? BuyerAccount { get; set; }
    [Id(9)] public string? BuyerOrganizationId { get; set; }
    /// <summary>The deal is open and everyone is told.</summary>
    [Id(10)] public bool Announced { get; set; }
    [Id(11)] public int Version { get; set; }
    /// <summary>The achievement was withdrawn while the offer was open: it ended unsold.</summary>
    [Id(12)] public DateTimeOffset? WithdrawnAt { get; set; }
}
