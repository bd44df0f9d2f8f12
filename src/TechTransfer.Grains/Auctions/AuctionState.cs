namespace TechTransfer.Auctions;

public enum AuctionStatus
{
    Open,
    Sold,
    Unsold,
    /// <summary>The achievement was withdrawn before the end: ended unsold, no deal.</summary>
    Withdrawn,
}

/// <summary>
/// Stored under state name "auction": the terms and the outcome. The bids are not here: they are the rows of
/// tt_auction_bid (written before each bid is acknowledged) and are loaded from there on activation.
/// </summary>
[GenerateSerializer, Alias("tt.AuctionState")]
public sealed class AuctionState
{
    [Id(0)] public AuctionTerms? Terms { get; set; }
    [Id(1)] public string Title { get; set; } = "";
    [Id(2)] public string TechField { get; set; } = "";
    [Id(3)] public string SellerOrganizationId { get; set; } = "";
    [Id(4)] public string CreatedBy { get; set; } = "";
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public AuctionStatus Status { get; set; }
    [Id(7)] public DateTimeOffset? EndedAt { get; set; }
    [Id(8)] public string? WinnerAccount { get; set; }
    [Id(9)] public string? WinnerOrganizationId { get; set; }
    [Id(10)] public decimal? WinningAmount { get; set; }
    [Id(11)] public string? DealId { get; set; }
    /// <summary>The deal is open and everyone is told: what follows the end has all happened.</summary>
    [Id(12)] public bool Announced { get; set; }
    [Id(13)] public int Version { get; set; }
    [Id(14)] public string? Region { get; set; }
}

/// <summary>TechTransfer:Auctions — soft close (a bid within the window moves the end by the extension) and the reminder backstop.</summary>
public sealed class AuctionOptions
{
    public TimeSpan SoftCloseWindow { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan SoftCloseExtension { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the durable reminder re-checks an auction after its end is due (Orleans' floor is one minute).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How far ahead an end timer or reminder is armed at most (auctions and tenders); a farther end is reached by
    /// re-arming when it fires early. Orleans refuses more than ~49.7 days; capped at <see cref="Trades.TradeTimers.MaxHorizon"/>.
    /// </summary>
    public TimeSpan ReminderHorizon { get; set; } = TimeSpan.FromDays(30);
}
