namespace TechTransfer.Terminal;

/// <summary>A one-line progress bar on stderr, redrawn in place; plain lines when output is redirected.</summary>
public sealed class ProgressBar(string label, long total)
{
    const int Width = 30;
    readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    int lastPercent = -1;

    /// <summary>May grow while work is discovered.</summary>
    public long Total { get; set; } = total;

    public void Report(long done)
    {
        var percent = Total == 0 ? 100 : (int)(Math.Min(done, Total) * 100 / Total);
        if (percent == lastPercent) return;
        lastPercent = percent;
        var filled = percent * Width / 100;
        var rate = done / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        var line = $"{label} [{new string('#', filled)}{new string('.', Width - filled)}] {percent,3}% {done}/{Total} {rate:F0}/s";
        if (System.Console.IsErrorRedirected) { if (percent % 10 == 0) System.Console.Error.WriteLine(line); }
        else System.Console.Error.Write("\r" + line);
    }

    public void Done()
    {
        Report(Total);
        if (!System.Console.IsErrorRedirected) System.Console.Error.WriteLine();
    }
}
