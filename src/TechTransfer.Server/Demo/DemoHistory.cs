using Npgsql;
using TechTransfer.Accounts;
using TechTransfer.Contracts;
using TechTransfer.Deals;
using TechTransfer.Matching;
using TechTransfer.Organizations;
using TechTransfer.Vocabulary;

namespace TechTransfer.Demo;

/// <summary>
/// A year of brokered deals on the demo network, played through the deal grains as the parties and the demo brokers
/// would: the best-matched demo demands and achievements, each asked about by the enterprise; most answered, claimed
/// and registered (signing dates spread over the last year, so the trading index, 评估报价 and 信誉 have something to
/// show on first start), some ended, some still in negotiation, some never answered; the parties rate the broker.
/// Idempotent: a deal already played is left as it is.
/// </summary>
public sealed class DemoHistory(IGrainFactory grains, NpgsqlDataSource db, TimeProvider clock, ILogger<DemoHistory> logger)
{
    const int Deals = 48;

    static readonly ContractType[] Types = [ContractType.License, ContractType.Transfer, ContractType.License, ContractType.DevelopmentCommissioned];

    sealed record Pair(string AchievementId, string DemandId, string AchievementOrganization, string DemandOrganization, string Region, decimal? Price);

    public async Task SeedAsync(CancellationToken stopping)
    {
        var pairs = await PairsAsync(stopping);
        var today = ChinaTime.Today(clock);
        var played = 0;
        for (var i = 0; i < pairs.Count; i++)
            if (await PlayAsync(i, pairs[i], today)) played++;
        if (played > 0) logger.LogInformation("Demo history: {Played} deals played", played);
    }

    /// <summary>The best match of each demo demand with a demo university's achievement, one deal per achievement.</summary>
    async Task<List<Pair>> PairsAsync(CancellationToken stopping)
    {
        await using var command = db.CreateCommand($"""
            SELECT achievement_id, demand_id, a_org, d_org, region, price FROM (
                SELECT DISTINCT ON (m.achievement_id) m.achievement_id, m.demand_id, a.owner_org AS a_org, d.owner_org AS d_org,
                       coalesce(a.region, d.region) AS region, a.price, m.score
                FROM tt_match m JOIN tt_listing a ON a.id = m.achievement_id JOIN tt_listing d ON d.id = m.demand_id
                WHERE a.owner_org LIKE 'org-demo-university%' AND d.owner_org LIKE 'org-demo-enterprise%'
                  AND a.status = 'Published' AND d.status = 'Published' AND coalesce(a.region, d.region) IS NOT NULL
                ORDER BY m.achievement_id, m.score DESC) best
            ORDER BY score DESC, achievement_id LIMIT {Deals}
            """);
        await using var reader = await command.ExecuteReaderAsync(stopping);
        var pairs = new List<Pair>();
        while (await reader.ReadAsync(stopping))
            pairs.Add(new Pair(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetDecimal(5)));
        return pairs;
    }

    /// <summary>
    /// Deal <paramref name="i"/>: by i mod 6 — 0, 1, 2 registered (rated 5/4, 4/4, 5/3), 3 ended while negotiating
    /// (rated 3; the first of them contested by the university), 4 still negotiating, 5 asked and never answered. False
    /// when it was played before.
    /// </summary>
    async Task<bool> PlayAsync(int i, Pair p, DateOnly today)
    {
        var deal = grains.GetGrain<IDealGrain>(ListingMatcher.MatchId(p.AchievementId, p.DemandId));
        var national = new Actor("acct-demo-seeder", "org-torch", OrganizationKind.National, Role.NationalAdmin);
        if (await deal.GetAsync(national) is not { Stage: "Matched", DemandInterest: false, AchievementInterest: false }) return false;

        var enterprise = new Actor("acct-demo-seeder", p.DemandOrganization, OrganizationKind.Enterprise, Role.OrganizationAdmin);
        var university = new Actor("acct-demo-seeder", p.AchievementOrganization, OrganizationKind.University, Role.OrganizationAdmin);
        var broker = new Actor(AccountKeys.Of(p.Region == "yangtze-delta" ? "demo-broker" : $"demo-broker-{p.Region}"), $"org-center-{p.Region}",
            OrganizationKind.ServiceCenter, Role.Broker, p.Region);
        var outcome = i % 6;
        await deal.SetInterestAsync(enterprise, true, "我方有明确应用场景，希望进一步了解");
        if (outcome == 5) return true;
        await deal.SetInterestAsync(university, true, "可以安排技术交流");
        await deal.ClaimAsync(broker, "由区域服务中心牵头对接");
        await deal.AdvanceAsync(broker, DealStage.Negotiating, "双方已完成首轮技术交流");
        switch (outcome)
        {
            case 3:
                await deal.CloseAsync(broker, "双方就许可费率未达成一致");
                await deal.RateAsync(enterprise, 3, "对接及时，但报价差距较大");
                // One contest waits for its center's review, so the workbench's queue shows what one looks like.
                if (i == 3) await deal.ContestAsync(university, "终止系需求方调整年度预算所致，并非我方原因，申请不计入本单位信誉记录");
                return true;
            case 4:
                return true;
        }
        await deal.AdvanceAsync(broker, DealStage.ContractSigned, null);
        var amount = Math.Round((p.Price ?? 80m) * (0.6m + 0.1m * (i % 5)), 1);
        var seller = await grains.GetGrain<IOrganizationGrain>(p.AchievementOrganization).GetAsync();
        var buyer = await grains.GetGrain<IOrganizationGrain>(p.DemandOrganization).GetAsync();
        await deal.RegisterContractAsync(broker, new ContractContent(Types[i % Types.Length], amount, Math.Round(amount * 0.85m, 1),
            seller?.Name ?? "演示大学", buyer?.Name ?? "演示科技有限公司", today.AddDays(-(15 + 7 * i)), null));
        int[][] stars = [[5, 4], [4, 4], [5, 3]];
        await deal.RateAsync(university, stars[outcome][0], "经纪人熟悉政策，合同条款把关细致");
        await deal.RateAsync(enterprise, stars[outcome][1], null);
        return true;
    }
}
