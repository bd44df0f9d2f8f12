namespace TechTransfer.Trades;

/// <summary>
/// Orleans refuses a grain timer or a reminder due more than 0xfffffffe ms (~49.7 days) ahead, and a trade may end
/// farther off (拍卖 ≤ 90 days, 招标 ≤ 180). So a trade arms its end timer and reminder at most a horizon ahead
/// and, when one fires before the end, arms it again: a far end is reached in hops.
/// </summary>
public static class TradeTimers
{
    /// <summary>Safely below the Orleans limit, whatever the configured horizon says.</summary>
    public static readonly TimeSpan MaxHorizon = TimeSpan.FromDays(45);

    /// <summary>How long until the timer or reminder for <paramref name="end"/> should fire: never negative, never past the horizon.</summary>
    public static TimeSpan DueIn(DateTimeOffset end, DateTimeOffset now, TimeSpan horizon)
    {
        var cap = horizon > TimeSpan.Zero && horizon < MaxHorizon ? horizon : MaxHorizon;
        var due = end - now;
        return due <= TimeSpan.Zero ? TimeSpan.Zero : due < cap ? due : cap;
    }
}
