using TechTransfer.Contracts;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;

namespace TechTransfer.Tests.Contracts;

/// <summary>The registration form's rules, the number format and the index arithmetic, without a cluster.</summary>
public sealed class ContractRulesTests
{
    static readonly DateOnly Today = new(2026, 3, 15);

    static readonly ContractInput Valid = new("License", 120m, 100m, "某某大学", "某某科技有限公司", "2026-03-01", "含专利实施许可");

    public static TheoryData<ContractInput, string, string> Broken => new()
    {
        { Valid with { Type = null }, "type", "required" },
        { Valid with { Type = "Development" }, "type", "unknown-value" },
        { Valid with { Type = "license" }, "type", "unknown-value" },
        { Valid with { ContractAmount = null }, "contractAmount", "required" },
        { Valid with { ContractAmount = 0m }, "contractAmount", "positive" },
        { Valid with { ContractAmount = -5m }, "contractAmount", "not-negative" },
        { Valid with { ContractAmount = 100_000_000.5m }, "contractAmount", "range" },
        { Valid with { ContractAmount = 120.0000001m }, "contractAmount", "invalid-format" },
        { Valid with { TechTransactionAmount = null }, "techTransactionAmount", "required" },
        { Valid with { TechTransactionAmount = -1m }, "techTransactionAmount", "not-negative" },
        { Valid with { TechTransactionAmount = 120.01m }, "techTransactionAmount", "exceeds-contract-amount" },
        { Valid with { Seller = "  " }, "seller", "required" },
        { Valid with { Seller = new string('校', 101) }, "seller", "max-length" },
        { Valid with { Buyer = null }, "buyer", "required" },
        { Valid with { Buyer = "某\u0007公司" }, "buyer", "control-characters" },
        { Valid with { SigningDate = null }, "signingDate", "required" },
        { Valid with { SigningDate = "2026/03/01" }, "signingDate", "invalid-format" },
        { Valid with { SigningDate = "2026-02-30" }, "signingDate", "invalid-format" },
        { Valid with { SigningDate = "2026-03-16" }, "signingDate", "in-future" },
        { Valid with { SigningDate = "1999-12-31" }, "signingDate", "too-early" },
        { Valid with { Note = new string('注', 501) }, "note", "max-length" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Each_broken_rule_is_a_validation_problem_naming_its_field(ContractInput input, string field, string rule)
    {
        var problem = Assert.Throws<ProblemException>(() => input.Validate(Today));
        Assert.Equal(ProblemCodes.Validation, problem.Code);
        var error = Assert.Single(problem.Errors);
        Assert.Equal((field, rule), (error.Field, error.Rule));
        var (zh, en) = ProblemCatalog.Describe(error);
        Assert.DoesNotContain(field, zh); // every contract field has a Chinese name in the catalogue
        Assert.Contains(field, en);
    }

    [Fact]
    public void A_valid_form_becomes_trimmed_typed_content_and_boundaries_are_allowed()
    {
        var content = (Valid with { Seller = " 某某大学 ", TechTransactionAmount = 120m, SigningDate = "2026-03-15" }).Validate(Today);
        Assert.Equal(new ContractContent(ContractType.License, 120m, 120m, "某某大学", "某某科技有限公司", Today, "含专利实施许可"), content);
        Assert.Equal(0m, (Valid with { TechTransactionAmount = 0m, SigningDate = "2000-01-01" }).Validate(Today).TechTransactionAmount);
        Assert.Equal(100_000_000m, (Valid with { ContractAmount = 100_000_000m }).Validate(Today).ContractAmount);
        Assert.Null((Valid with { Note = "" }).Validate(Today).Note);
        Assert.Equal(6, Enum.GetValues<ContractType>().Length);
        Assert.All(Enum.GetValues<ContractType>(), t => Assert.True(ContractTypes.Zh.ContainsKey(t)));
    }

    [Fact]
    public void Every_failed_rule_is_reported_at_once()
    {
        var problem = Assert.Throws<ProblemException>(() => new ContractInput(null, null, null, null, null, null, null).Validate(Today));
        Assert.Equal(["type", "contractAmount", "techTransactionAmount", "seller", "buyer", "signingDate"], problem.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Registration_numbers_are_year_center_and_six_digit_sequence()
    {
        var regions = RegionDirectory.Load(Path.Combine(AppContext.BaseDirectory, "silo-config", "regions.json"));
        Assert.Equal(1, ContractNumbers.CenterNumber(regions, "yangtze-delta"));
        Assert.Equal(6, ContractNumbers.CenterNumber(regions, "central"));
        Assert.Equal(9, ContractNumbers.CenterNumber(regions, "beibu-gulf"));
        Assert.Equal("202601000001", ContractNumbers.Format(2026, 1, 1));
        Assert.Equal("202709999999", ContractNumbers.Format(2027, 9, ContractNumbers.MaxSequence));
        Assert.True(ContractNumbers.IsValid("202601000001"));
        Assert.False(ContractNumbers.IsValid("20260100001"));
        Assert.False(ContractNumbers.IsValid("tc-202601000001"));
        Assert.Equal("tc-202601000001", ContractNumbers.GrainKey("202601000001"));
    }

    [Fact]
    public void The_index_adds_up_a_hand_computed_example()
    {
        var regions = RegionDirectory.Load(Path.Combine(AppContext.BaseDirectory, "silo-config", "regions.json"));
        var state = new TradingIndexState();
        foreach (var e in TradingIndexExample.Contracts) state.Add(e, 1, e.ContractAmount, e.TechTransactionAmount);
        TradingIndexExample.AssertExample(state.View(TradingIndexExample.Range(), regions));

        // Amendment of C: techTransactionAmount 225 → 240 (+15), counted once more in amounts only.
        state.Add(TradingIndexExample.Contracts[2], 0, 0m, 15m);
        TradingIndexExample.AssertAmended(state.View(TradingIndexExample.Range(), regions));
    }

    [Fact]
    public void The_index_against_another_base_is_rounded_and_without_a_base_it_is_null()
    {
        Assert.Equal(66.67m, TradingIndexState.Index(150m, 225m)); // 100 × 150 / 225 = 66.666…
        Assert.Equal(0m, TradingIndexState.Index(0m, 225m));
        Assert.Null(TradingIndexState.Index(150m, 0m));
    }

    public static TheoryData<string?, string?, string?, string, string> BadRanges => new()
    {
        { "2026-13", "2026-12", null, "from", "invalid-format" },
        { "2026-01-01", null, null, "from", "invalid-format" },
        { "2026-05", "2026-04", null, "from", "after-to" },
        { "2023-01", "2026-01", null, "to", "max-months" },  // 37 months
        { "1999-12", "2000-02", null, "from", "too-early" },
        { "2026-01", "2026-02", "26-01", "base", "invalid-format" },
    };

    [Theory]
    [MemberData(nameof(BadRanges))]
    public void Ranges_are_bounded(string? from, string? to, string? baseMonth, string field, string rule)
    {
        var problem = Assert.Throws<ProblemException>(() => TradingRange.Parse(from, to, baseMonth, Today, "2026-01"));
        Assert.Contains(problem.Errors, e => e.Field == field && e.Rule == rule);
    }

    [Fact]
    public void The_default_range_is_the_last_twelve_months_and_36_months_is_the_most()
    {
        var range = TradingRange.Parse(null, null, null, Today, "2026-01");
        Assert.Equal((new DateOnly(2025, 4, 1), new DateOnly(2026, 3, 1), new DateOnly(2026, 1, 1)), (range.From, range.To, range.Base));
        Assert.Equal(new DateOnly(2023, 2, 1), TradingRange.Parse("2023-02", "2026-01", null, Today, "2026-01").From);
    }

    static DateOnly M(int year, int month) => new(year, month, 1);

    public static TheoryData<DateOnly[], DateOnly, DateOnly> TradedMonths => new()
    {
        { [], M(2025, 4), M(2026, 1) },                                 // nothing registered: the configured base, 暂无登记合同
        { [M(2026, 1), M(2026, 3)], M(2025, 4), M(2026, 1) },           // the configured base traded: kept
        { [M(2026, 3)], M(2025, 4), M(2026, 3) },                       // trades only this month: the base is this month
        { [M(2026, 2), M(2025, 6)], M(2025, 4), M(2025, 6) },           // the first traded month of the range
        { [M(2024, 5), M(2026, 2)], M(2024, 5), M(2024, 5) },           // back to the first trade
        { [M(2019, 7), M(2026, 2)], M(2023, 4), M(2026, 2) },           // at most 36 months back; the first traded in them
        { [M(2019, 7)], M(2023, 4), M(2019, 7) },                       // none in 36 months: the first at all
    };

    [Theory]
    [MemberData(nameof(TradedMonths))]
    public void By_default_the_range_and_base_follow_the_registered_trades(DateOnly[] traded, DateOnly from, DateOnly @base)
    {
        var range = TradingRange.Parse(null, null, null, Today, "2026-01", traded);
        Assert.Equal((from, M(2026, 3), @base), (range.From, range.To, range.Base));
        // Asked for, a range or base is kept as asked.
        var asked = TradingRange.Parse("2026-02", "2026-03", "2026-02", Today, "2026-01", traded);
        Assert.Equal((M(2026, 2), M(2026, 3), M(2026, 2)), (asked.From, asked.To, asked.Base));
        Assert.Equal(M(2026, 1), TradingRange.Parse(null, null, "2026-01", Today, "2026-01", traded).Base);
        Assert.Equal(M(2025, 3), TradingRange.Parse(null, "2026-02", null, Today, "2026-01", traded).From);
    }

    [Fact]
    public void The_view_names_the_first_traded_month_and_counts_every_registered_contract()
    {
        var regions = RegionDirectory.Load(Path.Combine(AppContext.BaseDirectory, "silo-config", "regions.json"));
        var empty = new TradingIndexState().View(TradingRange.Parse(null, null, null, Today, "2026-01"), regions);
        Assert.Equal((null, 0), (empty.FirstMonth, empty.RegisteredCount));
        var state = new TradingIndexState();
        foreach (var c in TradingIndexExample.Contracts) state.Add(c, 1, c.ContractAmount, c.TechTransactionAmount);
        var view = state.View(TradingRange.Parse(null, null, null, Today, "2026-01", state.TradedMonths()), regions);
        Assert.Equal(("2003-04", 3, "2003-04"), (view.FirstMonth, view.RegisteredCount, view.BaseMonth));
        Assert.Equal(150m, view.BaseTechTransactionAmount); // the index has a base: the page shows a number
    }
}

/// <summary>
/// The hand-computed example, used by the unit test and again through the grains:
///   A 2003-04-10 NewEnergy             northeast  contract 120  tech 100
///   B 2003-04-25 ElectronicInformation southwest  contract  80  tech  50
///   C 2003-05-03 NewEnergy             southwest  contract 300  tech 225
/// Range 2003-04..2003-06, base 2003-04:
///   April: 2 contracts, 200, tech 150 → index 100 × 150/150 = 100.00
///   May:   1 contract,  300, tech 225 → index 100 × 225/150 = 150.00
///   June:  none                       → index 0.00
///   Total 3, 500, 375. NewEnergy 2 / 420 / 325, ElectronicInformation 1 / 80 / 50, other fields 0.
///   northeast 1 / 120 / 100, southwest 2 / 380 / 275, other regions 0. 30 + 31 + 30 = 91 days.
/// After amending C's tech amount 225 → 240: May tech 240 → index 160.00; total tech 390; NewEnergy tech 340;
/// southwest tech 290; counts unchanged.
/// </summary>
public static class TradingIndexExample
{
    public static readonly TradeEntry[] Contracts =
    [
        new("200302000001", new DateOnly(2003, 4, 10), "NewEnergy", "northeast", 120m, 100m),
        new("200305000001", new DateOnly(2003, 4, 25), "ElectronicInformation", "southwest", 80m, 50m),
        new("200305000002", new DateOnly(2003, 5, 3), "NewEnergy", "southwest", 300m, 225m),
    ];

    public static TradingRange Range() => TradingRange.Parse("2003-04", "2003-06", "2003-04", new DateOnly(2026, 3, 15), "2026-01");

    public static void AssertExample(TradingIndexView view)
    {
        Assert.Equal(("2003-04", "2003-06", "2003-04", 150m), (view.From, view.To, view.BaseMonth, view.BaseTechTransactionAmount));
        Assert.Equal(new TradeFigures(3, 500m, 375m), view.Total);
        Assert.Equal(
            [new TradingMonth("2003-04", 2, 200m, 150m, 100.00m), new TradingMonth("2003-05", 1, 300m, 225m, 150.00m), new TradingMonth("2003-06", 0, 0m, 0m, 0m)],
            view.Months);
        Assert.Equal(91, view.Days.Length);
        Assert.Equal(new TradingDay("2003-04-10", 1, 120m, 100m), view.Days.Single(d => d.Date == "2003-04-10"));
        Assert.Equal(new TradingDay("2003-04-25", 1, 80m, 50m), view.Days.Single(d => d.Date == "2003-04-25"));
        Assert.Equal(new TradingDay("2003-05-03", 1, 300m, 225m), view.Days.Single(d => d.Date == "2003-05-03"));
        Assert.Equal(3, view.Days.Sum(d => d.Count));
        Assert.Equal(8, view.ByField.Length);
        Assert.Equal(new TradingSlice("NewEnergy", null, 2, 420m, 325m), view.ByField.Single(f => f.Code == "NewEnergy"));
        Assert.Equal(new TradingSlice("ElectronicInformation", null, 1, 80m, 50m), view.ByField.Single(f => f.Code == "ElectronicInformation"));
        Assert.Equal(0, view.ByField.Where(f => f.Code is not ("NewEnergy" or "ElectronicInformation")).Sum(f => f.Count));
        Assert.Equal(9, view.ByRegion.Length);
        Assert.Equal(new TradingSlice("northeast", "东北", 1, 120m, 100m), view.ByRegion.Single(r => r.Code == "northeast"));
        Assert.Equal(new TradingSlice("southwest", "西南", 2, 380m, 275m), view.ByRegion.Single(r => r.Code == "southwest"));
        Assert.Equal(0, view.ByRegion.Where(r => r.Code is not ("northeast" or "southwest")).Sum(r => r.Count));
    }

    public static void AssertAmended(TradingIndexView view)
    {
        Assert.Equal(new TradeFigures(3, 500m, 390m), view.Total);
        Assert.Equal(new TradingMonth("2003-05", 1, 300m, 240m, 160.00m), view.Months[1]);
        Assert.Equal(100.00m, view.Months[0].Index);
        Assert.Equal(new TradingSlice("NewEnergy", null, 2, 420m, 340m), view.ByField.Single(f => f.Code == "NewEnergy"));
        Assert.Equal(new TradingSlice("southwest", "西南", 2, 380m, 290m), view.ByRegion.Single(r => r.Code == "southwest"));
        Assert.Equal(new TradingDay("2003-05-03", 1, 300m, 240m), view.Days.Single(d => d.Date == "2003-05-03"));
    }
}
