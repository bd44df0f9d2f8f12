using System.Text.Json;
using TechTransfer.Storage;
using TechTransfer.Vocabulary;

namespace TechTransfer.RegionalCenters;

/// <summary>A regional service center as configured in silo-config/regions.json.</summary>
[GenerateSerializer, Immutable, Alias("tt.RegionDefinition")]
public sealed record RegionDefinition(string Code, string Name, string ShortName, string[] Provinces);

/// <summary>
/// Which center serves which province. Configuration, not code: loaded once from regions.json and checked
/// so that every province belongs to exactly one center.
/// </summary>
public sealed class RegionDirectory
{
    readonly Dictionary<string, RegionDefinition> byProvince = [];
    readonly Dictionary<string, RegionDefinition> byCode = [];

    public RegionDirectory(IReadOnlyList<RegionDefinition> regions)
    {
        Regions = regions;
        foreach (var region in regions)
        {
            if (!byCode.TryAdd(region.Code, region))
                throw new InvalidOperationException($"Region code '{region.Code}' appears twice in regions.json.");
            foreach (var province in region.Provinces)
            {
                if (!Provinces.IsKnown(province))
                    throw new InvalidOperationException($"Region '{region.Code}' names unknown province '{province}'.");
                if (!byProvince.TryAdd(province, region))
                    throw new InvalidOperationException($"Province '{province}' belongs to two regions in regions.json.");
            }
        }
        var missing = Provinces.All.Where(p => !byProvince.ContainsKey(p)).ToArray();
        if (missing.Length > 0)
            throw new InvalidOperationException($"regions.json leaves provinces without a center: {string.Join(' ', missing)}");
    }

    public IReadOnlyList<RegionDefinition> Regions { get; }

    public RegionDefinition? Find(string code) => byCode.GetValueOrDefault(code);

    public RegionDefinition? OfProvince(string? province) => province is null ? null : byProvince.GetValueOrDefault(province);

    public static RegionDirectory Load(string path)
    {
        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<RegionsFile>(stream, TechTransferJson.Options)
            ?? throw new InvalidOperationException($"{path} is empty.");
        return new RegionDirectory(file.Regions);
    }

    sealed record RegionsFile(RegionDefinition[] Regions);
}
