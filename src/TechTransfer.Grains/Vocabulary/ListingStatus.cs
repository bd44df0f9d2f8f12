namespace TechTransfer.Vocabulary;

/// <summary>
/// Achievement: Draft → Published → Withdrawn | Transferred | Expired (→ Published once, by renewal) → Archived two
/// years after expiring (read-only, its owner and national still read it).
/// </summary>
public enum AchievementStatus
{
    Draft,
    Published,
    Withdrawn,
    Transferred,
    Expired,
    Archived,
}

/// <summary>Demand: Draft → Published → Closed | Fulfilled | Expired (→ Published once, by renewal) → Archived, as achievements.</summary>
public enum DemandStatus
{
    Draft,
    Published,
    Closed,
    Fulfilled,
    Expired,
    Archived,
}
