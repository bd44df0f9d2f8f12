namespace TechTransfer.Vocabulary;

/// <summary>Achievement: Draft → Published → Withdrawn | Transferred | Expired (→ Published once, by renewal).</summary>
public enum AchievementStatus
{
    Draft,
    Published,
    Withdrawn,
    Transferred,
    Expired,
}

/// <summary>Demand: Draft → Published → Closed | Fulfilled | Expired (→ Published once, by renewal).</summary>
public enum DemandStatus
{
    Draft,
    Published,
    Closed,
    Fulfilled,
    Expired,
}
