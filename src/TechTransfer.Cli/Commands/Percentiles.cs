namespace TechTransfer.Commands;

/// <summary>The nearest-rank percentile every benchmark reports.</summary>
public static class Percentiles
{
    /// <param name="sorted">Samples in ascending order (at least one).</param>
    public static double Of(IReadOnlyList<double> sorted, double p, int digits = 1) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], digits);
}
