using TechTransfer.Reputation;

namespace TechTransfer.Tests.Reputation;

/// <summary>The published formula (docs/institutions.md): exact scores, the neutral rule, the bands and 新加入.</summary>
public sealed class CreditFormulaTests
{
    static OrganizationFacts Organization(int asked = 0, int answered = 0, double? hours = null, int leads = 0, int signed = 0, int terminated = 0,
        int abandoned = 0, int contracts = 0, int published = 0, int fresh = 0) =>
        new(asked, answered, hours, leads, signed, terminated, abandoned, contracts, contracts * 100m, published, fresh, null);

    [Fact]
    public void An_organization_that_answers_everything_at_once_signs_every_deal_and_keeps_its_listings_fresh_scores_100()
    {
        var report = CreditFormula.Organization(Organization(asked: 4, answered: 4, hours: 2, leads: 4, signed: 3, contracts: 3, published: 5, fresh: 5));
        Assert.Equal(("A", 100), (report.Grade, report.Score));
        Assert.Equal(100.0, report.Indicators.Single(i => i.Name == "answeredShare").Value);
        Assert.Equal(300.0, report.Indicators.Single(i => i.Name == "contractAmount").Value);
    }

    [Fact]
    public void Each_part_weighs_as_published()
    {
        // Answers 1 of 4 (0.25), in 180 h ((336 − 180) / 312 = 0.5), 1 of 4 ended deals signed, two trades abandoned
        // (1 − 2/3), no listings (neutral 0.5): 100 × (0.075 + 0.075 + 0.075 + 0.0333 + 0.075) = 33.
        var report = CreditFormula.Organization(Organization(asked: 4, answered: 1, hours: 180, leads: 4, signed: 1, terminated: 3, abandoned: 2));
        Assert.Equal(("D", 33), (report.Grade, report.Score));
        Assert.Null(report.Indicators.Single(i => i.Name == "freshListings").Value);
        Assert.Equal(0, report.Indicators.Single(i => i.Name == "freshListings").Evidence);
    }

    [Fact]
    public void A_part_with_nothing_behind_it_is_neutral_and_too_little_activity_has_no_grade()
    {
        // Only contracts: every share neutral (0.5) but no trade abandoned (1): 100 × (0.15 + 0.075 + 0.15 + 0.1 + 0.075) = 55.
        Assert.Equal(("C", 55), (CreditFormula.Organization(Organization(contracts: 3)).Grade, CreditFormula.Organization(Organization(contracts: 3)).Score));
        var newcomer = CreditFormula.Organization(Organization(asked: 1, leads: 1));
        Assert.Equal((CreditFormula.Newcomer, (int?)null), (newcomer.Grade, newcomer.Score));
        Assert.Equal(CreditFormula.Version, newcomer.FormulaVersion);
    }

    [Theory]
    [InlineData(80, "A")]
    [InlineData(79, "B")]
    [InlineData(65, "B")]
    [InlineData(64, "C")]
    [InlineData(50, "C")]
    [InlineData(49, "D")]
    public void Grades_follow_the_bands(int score, string grade) => Assert.Equal(grade, CreditFormula.Grade(score));

    [Fact]
    public void A_broker_is_graded_on_registrations_staleness_speed_and_stars()
    {
        // 3 of 4 ended deals registered (0.75), 1 of 5 claimed went stale (0.8), 18.5 days per stage ((30 − 18.5) / 23 = 0.5),
        // 3.5 stars (0.625): 100 × (0.3 + 0.2 + 0.075 + 0.125) = 70, B.
        var report = CreditFormula.Broker(new BrokerFacts(5, 3, 1, 1, 1, 18.5, 3, 450m, 2, 3.5, null));
        Assert.Equal(("B", 70), (report.Grade, report.Score));
        Assert.Equal(75.0, report.Indicators.Single(i => i.Name == "registeredShare").Value);
        Assert.Equal(20.0, report.Indicators.Single(i => i.Name == "wentStaleShare").Value);
        Assert.Equal(CreditFormula.Newcomer, CreditFormula.Broker(new BrokerFacts(2, 2, 0, 0, 0, 1, 2, 10m, 0, null, null)).Grade);
    }
}
