namespace TechTransfer.RegionalCenters;

/// <summary>Stored under state name "regional-center". Counts are not stored: they are derived from tt_listing.</summary>
[GenerateSerializer, Alias("tt.RegionalCenterState")]
public sealed class RegionalCenterState
{
    [Id(0)] public List<string> Brokers { get; set; } = [];
}
