using TechTransfer.Listings;
using TechTransfer.Matching;
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
    [Fact]
    public void Among_matches_of_equal_score_the_partner_with_the_better_record_comes_first_and_never_above_a_higher_score()
    {
        static StoredMatch Match(string id, int score, string demandOrganization) =>
            new(id, "ach-1", "dem-" + id, score, "成果", "需求", default, DateTimeOffset.UnixEpoch, "org-university", demandOrganization);
        var matches = new[] { Match("d", 70, "org-d"), Match("new", 70, "org-new"), Match("a", 70, "org-a"), Match("ungraded", 70, "org-none"),
            Match("c", 70, "org-c"), Match("a-lower", 60, "org-a2"), Match("d-higher", 80, "org-d2") };
        var grades = new Dictionary<string, string>
        {
            ["org-d"] = "D", ["org-new"] = CreditFormula.Newcomer, ["org-a"] = "A", ["org-c"] = "C", ["org-a2"] = "A", ["org-d2"] = "D",
        };

        // Seen from the achievement, the partner is the demand's organization; the order within one rank is kept.
        Assert.Equal(["d-higher", "a", "new", "ungraded", "c", "d", "a-lower"],
            CreditRecords.RankTies(matches, grades, ListingKind.Achievement).Select(m => m.Id));
        // Seen from a demand, the partner is the achievement's organization: one for all, so the stored order stays.
        Assert.Equal(["d-higher", "d", "new", "a", "ungraded", "c", "a-lower"],
            CreditRecords.RankTies(matches, grades, ListingKind.Demand).Select(m => m.Id));
    }
}
