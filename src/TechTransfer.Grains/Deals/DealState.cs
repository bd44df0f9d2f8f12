using TechTransfer.Vocabulary;

namespace TechTransfer.Deals;

/// <summary>Stored under state name "deal". The trail only grows.</summary>
[GenerateSerializer, Alias("tt.DealState")]
public sealed class DealState
{
    [Id(0)] public DealFacts? Facts { get; set; }
    [Id(1)] public bool AchievementInterest { get; set; }
    [Id(2)] public bool DemandInterest { get; set; }
    [Id(3)] public DealStage Stage { get; set; }
    [Id(4)] public string? ClaimedBy { get; set; }
    [Id(5)] public string? LeadingRegion { get; set; }
    [Id(6)] public string? CloseReason { get; set; }
    [Id(7)] public string? ContractNumber { get; set; }
    [Id(8)] public DateTimeOffset? LeadAt { get; set; }
    [Id(9)] public DateTimeOffset LastActivityAt { get; set; }
    [Id(10)] public DateTimeOffset? StaleFlaggedAt { get; set; }
    [Id(11)] public List<DealEntry> Trail { get; set; } = [];
    [Id(12)] public int Version { get; set; }
    [Id(13)] public List<DealRating> Ratings { get; set; } = [];
}

/// <summary>TechTransfer:Deals — when a deal counts as stale, how often that is checked (an Orleans reminder), and the attribution tail.</summary>
public sealed class DealOptions
{
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan StaleCheckEvery { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// How long after claiming a lead a broker stays attributed on a contract the parties register themselves
    /// (issue 19 item 3): 12 months.
    /// </summary>
    public TimeSpan AttributionTail { get; set; } = TimeSpan.FromDays(365);
}
