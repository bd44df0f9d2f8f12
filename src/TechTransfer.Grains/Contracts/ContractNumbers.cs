using System.Globalization;
using System.Text.RegularExpressions;
using TechTransfer.RegionalCenters;

namespace TechTransfer.Contracts;

/// <summary>
/// Registration numbers (登记编号): yyyy + cc + ssssss, e.g. 202601000001 — the year of registration (China time),
/// the registering center's two-digit number (its place in silo-config/regions.json, from 01) and a gap-free
/// six-digit sequence per center and year. Twelve digits, so number order within a center is issue order.
/// </summary>
public static partial class ContractNumbers
{
    public const int MaxSequence = 999_999;

    public static string Format(int year, int center, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{year:D4}{center:D2}{sequence:D6}");

    public static bool IsValid(string? number) => number is not null && Pattern().IsMatch(number);

    /// <summary>A center's number: its place in regions.json, from 1. Centers are appended there, never reordered.</summary>
    public static int CenterNumber(RegionDirectory regions, string regionCode)
    {
        for (var i = 0; i < regions.Regions.Count; i++)
            if (regions.Regions[i].Code == regionCode) return i + 1;
        throw new ArgumentException($"Unknown region '{regionCode}'.", nameof(regionCode));
    }

    /// <summary>The contract grain's key. Prefixed: Orleans storage mangles all-digit string keys.</summary>
    public static string GrainKey(string number) => "tc-" + number;

    /// <summary>The contract registered under <paramref name="number"/>.</summary>
    public static IContractGrain Contract(this IGrainFactory grains, string number) => grains.GetGrain<IContractGrain>(GrainKey(number));

    [GeneratedRegex(@"^[0-9]{12}$")]
    private static partial Regex Pattern();
}
