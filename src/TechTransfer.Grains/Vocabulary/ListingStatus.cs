namespace TechTransfer.Vocabulary;

/// <summary>Achievement: Draft → Published → Withdrawn | Transferred.</summary>
public enum AchievementStatus
{
    Draft,
    Published,
    Withdrawn,
    Transferred,
}

/// <summary>Demand: Draft → Published → Closed | Fulfilled.</summary>
public enum DemandStatus
{
    Draft,
    Published,
    Closed,
    Fulfilled,
}
