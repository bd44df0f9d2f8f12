namespace TechTransfer.Tests.Infrastructure;

/// <summary>Polls a condition that becomes true asynchronously (a push, a sweep, a timer), failing after a deadline.</summary>
public static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string what, int seconds = 10) =>
        TrueAsync(() => Task.FromResult(condition()), what, seconds);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {seconds} s waiting for {what}");
            await Task.Delay(50);
        }
    }
}
