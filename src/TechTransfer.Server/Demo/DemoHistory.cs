using Npgsql;
using TechTransfer.Accounts;
using TechTransfer.Contracts;
using TechTransfer.Auctions;
using TechTransfer.Deals;
using TechTransfer.Evaluations;
using TechTransfer.FixedPriceListings;
using TechTransfer.Matching;
using TechTransfer.Organizations;
using TechTransfer.Vocabulary;

namespace TechTransfer.Demo;

/// <summary>
/// A year of brokered deals on the demo network, played through the deal grains as the parties and the demo brokers
/// would: the best-matched demo demands and achievements, each asked about by the enterprise; most answered, claimed
/// and registered (signing dates spread over the last year, so the trading index, 评估报价 and 信誉 have something to
/// show on first start), some ended, some still in negotiation, some never answered; the parties rate the broker.
/// Beside them the trading hall's first trades (挂牌 sold and open, an auction with a bid) and 科技成果评价 (one
/// published, one waiting for demo-university's review). Idempotent: what was played before is left as it is.
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
        var others = await OtherAchievementsAsync([.. pairs.Select(p => p.AchievementId)], stopping);
        await TradesAsync(others);
        if (pairs.Count > 0 && others.Count > 4) await EvaluationsAsync(pairs[0], others[4]);
    }

    static readonly Actor National = new("acct-demo-seeder", "org-torch", OrganizationKind.National, Role.NationalAdmin);

    /// <summary>A demo id of the given prefix, the same at every start (so a restart finds what it made).</summary>
    static string DemoId(string prefix, string name) =>
        prefix + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("demo-history\n" + name)))[..32];

    /// <summary>The demo universities' published achievements that are in none of the deals, with their owner and price.</summary>
    async Task<List<(string Id, string Owner, decimal Price)>> OtherAchievementsAsync(string[] inDeals, CancellationToken stopping)
    {
        await using var command = db.CreateCommand("""
            SELECT id, owner_org, coalesce(price, 60) FROM tt_listing
            WHERE kind = 'achievement' AND owner_org LIKE 'org-demo-university%' AND status = 'Published' AND NOT id = ANY ($1)
            ORDER BY id LIMIT 6
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = inDeals });
        var found = new List<(string, string, decimal)>();
        await using var reader = await command.ExecuteReaderAsync(stopping);
        while (await reader.ReadAsync(stopping)) found.Add((reader.GetString(0), reader.GetString(1), reader.GetDecimal(2)));
        return found;
    }

    /// <summary>
    /// 挂牌: two sold to the demo enterprise (each a lead for its center), one open for two months; 拍卖: one running for
    /// two weeks with the demo enterprise's opening bid. Created only once (their ids are fixed).
    /// </summary>
    async Task TradesAsync(List<(string Id, string Owner, decimal Price)> achievements)
    {
        var now = clock.GetUtcNow();
        var buyer = new Actor(AccountKeys.Of("demo-enterprise"), "org-demo-enterprise", OrganizationKind.Enterprise, Role.OrganizationAdmin);
        for (var i = 0; i < Math.Min(4, achievements.Count); i++)
        {
            var (id, owner, price) = achievements[i];
            var seller = new Actor("acct-demo-seeder", owner, OrganizationKind.University, Role.OrganizationAdmin);
            if (i < 3)
            {
                var offer = grains.GetGrain<IFixedPriceListingGrain>(DemoId("fpl-", $"offer-{i}"));
                if (await offer.GetAsync(National) is not null) continue;
                await offer.CreateAsync(seller, new FixedPriceTerms(id, Math.Round(price * 0.9m, 1), now, now.AddDays(60),
                    "挂牌价含技术资料与三个月技术指导。"));
                if (i < 2) await offer.AcceptAsync(buyer);
            }
            else
            {
                var auction = grains.GetGrain<IAuctionGrain>(DemoId("auc-", "auction-0"));
                if (await auction.GetAsync(National) is not null) continue;
                var start = Math.Round(price * 0.5m, 1);
                await auction.CreateAsync(seller, new AuctionTerms(id, now, now.AddDays(14), start, Math.Round(price * 0.8m, 1), 1m, false,
                    "公开拍卖，价高者得；未达保留价流拍。"));
                await auction.BidAsync(buyer, "demo-opening-bid", start);
            }
        }
    }

    /// <summary>
    /// 科技成果评价: the first deal's achievement evaluated by two demo experts and published by its center; another
    /// university's achievement waiting for demo-university's review (so 我的评审 has something to do).
    /// </summary>
    async Task EvaluationsAsync(Pair evaluated, (string Id, string Owner, decimal Price) waiting)
    {
        var broker = BrokerOf(evaluated.Region);
        var published = grains.GetGrain<IEvaluationGrain>(DemoId("evl-", "evaluation-0"));
        // Nobody reviews their own organization's work: the first two experts from elsewhere.
        var experts = Experts.Where(e => e.Actor.OrganizationId != evaluated.AchievementOrganization).Take(2).ToArray();
        if (await published.GetAsync(National) is null)
        {
            await published.StartAsync(broker, evaluated.AchievementId, [.. experts.Select(e => e.Name)]);
            await published.ReviewAsync(experts[0].Actor,
                new ReviewContent(6, ["中试线连续运行 500 小时", "第三方检测报告"], Innovation.ChinaFirst, Advancement.ChinaLeading,
                    [HardTech.IndependentIp, HardTech.ReadyForIndustry], "工艺路线清晰，放大数据可信，建议补充长期运行数据。"));
            await published.ReviewAsync(experts[1].Actor,
                new ReviewContent(6, ["用户试用报告"], Innovation.Improved, Advancement.ChinaLeading, [HardTech.IndependentIp],
                    "具备自主知识产权，已有用户试用，产业化条件基本具备。"));
            await published.PublishAsync(broker, "该成果处于中试阶段，具备自主知识产权，技术水平国内领先，建议推进产业化。");
        }
        var open = grains.GetGrain<IEvaluationGrain>(DemoId("evl-", "evaluation-1"));
        if (await open.GetAsync(National) is null && waiting.Owner != "org-demo-university")
        {
            var region = (await grains.GetGrain<Achievements.IAchievementGrain>(waiting.Id).GetAsync(National))?.RegionCode;
            var second = Experts.First(e => e.Actor.OrganizationId != waiting.Owner).Name;
            if (region is not null) await open.StartAsync(BrokerOf(region), waiting.Id, ["demo-university", second]);
        }
    }

    /// <summary>The demo experts (DemoSeeder's accounts), each of a university of its own.</summary>
    static readonly (string Name, Actor Actor)[] Experts =
    [
        .. new[] { ("demo-expert", "北京"), ("demo-expert-2", "上海"), ("demo-expert-3", "湖北") }.Select(e =>
            (e.Item1, new Actor(AccountKeys.Of(e.Item1), DemoSeeder.UniversityOf(e.Item2), OrganizationKind.University, Role.Member))),
    ];

    static Actor BrokerOf(string region) => new(AccountKeys.Of(region == "yangtze-delta" ? "demo-broker" : $"demo-broker-{region}"),
        $"org-center-{region}", OrganizationKind.ServiceCenter, Role.Broker, region);

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

        if (await deal.GetAsync(National) is not { Stage: "Matched", DemandInterest: false, AchievementInterest: false }) return false;

        var enterprise = new Actor("acct-demo-seeder", p.DemandOrganization, OrganizationKind.Enterprise, Role.OrganizationAdmin);
        var university = new Actor("acct-demo-seeder", p.AchievementOrganization, OrganizationKind.University, Role.OrganizationAdmin);
        var broker = BrokerOf(p.Region);
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
                // One pair signed anyway, later, and the university registered it itself: still the broker's (attribution).
                if (i == 9)
                {
                    var (s, b) = await NamesAsync(p);
                    await deal.RegisterOwnContractAsync(university, new ContractContent(ContractType.License, 50m, 45m, s, b,
                        today.AddDays(-5), "终止后双方重新协商并自行签订"), brokerAcknowledged: true);
                }
                return true;
            case 4:
                return true;
        }
        await deal.AdvanceAsync(broker, DealStage.ContractSigned, null);
        var amount = Math.Round((p.Price ?? 80m) * (0.6m + 0.1m * (i % 5)), 1);
        var (sellerName, buyerName) = await NamesAsync(p);
        await deal.RegisterContractAsync(broker, new ContractContent(Types[i % Types.Length], amount, Math.Round(amount * 0.85m, 1),
            sellerName, buyerName, today.AddDays(-(15 + 7 * i)), null));
        int[][] stars = [[5, 4], [4, 4], [5, 3]];
        await deal.RateAsync(university, stars[outcome][0], "经纪人熟悉政策，合同条款把关细致");
        await deal.RateAsync(enterprise, stars[outcome][1], null);
        return true;
    }

    async Task<(string Seller, string Buyer)> NamesAsync(Pair p) => (
        (await grains.GetGrain<IOrganizationGrain>(p.AchievementOrganization).GetAsync())?.Name ?? "演示大学",
        (await grains.GetGrain<IOrganizationGrain>(p.DemandOrganization).GetAsync())?.Name ?? "演示科技有限公司");
}
