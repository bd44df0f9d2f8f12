namespace TechTransfer.Vocabulary;

/// <summary>Dates people see are China's dates (Asia/Shanghai, UTC+8, no daylight saving); instants stay UTC.</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Offset).DateTime);
}
