using TechTransfer.RegionalCenters;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.RegionalCenters;

public sealed class RegionDirectoryTests
{
    static RegionDirectory Shipped() => RegionDirectory.Load(Path.Combine(AppContext.BaseDirectory, "silo-config", "regions.json"));

    [Fact]
    public void The_shipped_table_gives_every_province_exactly_one_center()
    {
        var regions = Shipped();
        Assert.All(Provinces.All, p => Assert.NotNull(regions.OfProvince(p)));
        Assert.Equal(Provinces.All.Count, regions.Regions.Sum(r => r.Provinces.Length));
        Assert.Equal("yangtze-delta", regions.OfProvince("江苏")!.Code);
        Assert.Equal("greater-bay", regions.OfProvince("广东")!.Code);
    }

    [Fact]
    public void A_province_in_two_centers_or_none_is_refused()
    {
        var all = Shipped().Regions.ToList();
        var twice = all.Append(new RegionDefinition("dup", "重复", "重复", ["江苏"])).ToList();
        Assert.Throws<InvalidOperationException>(() => new RegionDirectory(twice));
        Assert.Throws<InvalidOperationException>(() => new RegionDirectory(all.Skip(1).ToList()));
        Assert.Throws<InvalidOperationException>(() => new RegionDirectory([.. all, new RegionDefinition("x", "x", "x", ["加州"])]));
    }
}
