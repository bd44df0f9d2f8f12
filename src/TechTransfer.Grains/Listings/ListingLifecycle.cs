namespace TechTransfer.Listings;

/// <summary>
/// TechTransfer:Listings — how long a published listing stays on the market, when its owner is reminded, and how its
/// durable reminder is armed. Validity counts from the first publication and, once, from a renewal.
/// </summary>
public sealed class ListingOptions
{
    public const string Section = "TechTransfer:Listings";

    public TimeSpan Validity { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long before the expiry the owner is told (pushed and in the inbox).</summary>
    public TimeSpan ReminderBefore { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How far ahead the lifecycle reminder is armed at most; a farther notice or expiry is reached by re-arming when
    /// it fires early (Orleans refuses more than ~49.7 days; capped at <see cref="Trades.TradeTimers.MaxHorizon"/>).
    /// </summary>
    public TimeSpan ReminderHorizon { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an expired listing stays renewable in its owner's lists before it is archived (read-only).</summary>
    public TimeSpan ArchiveAfter { get; set; } = TimeSpan.FromDays(730);

    /// <summary>The reminder's period: the backstop that re-checks the listing should a re-arm ever be lost.</summary>
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromDays(1);
}
