using System.Text.Json;
using TechTransfer.Accounts;
using TechTransfer.Demands;
using TechTransfer.Hosting;
using TechTransfer.Imports;
using TechTransfer.Listings;
using TechTransfer.Organizations;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Storage;
using TechTransfer.Vocabulary;

namespace TechTransfer.Demo;

/// <summary>
/// Seeds the local demo network: demo organizations and accounts (all with <see cref="Password"/>) and,
/// unless switched off, a catalogue of published achievements and demands and a year of deals (<see cref="DemoHistory"/>). Idempotent: a restart seeds nothing twice.
/// Runs only when TechTransfer:Demo is true; any other mode has no well-known password.
/// </summary>
public sealed class DemoSeeder(
    IGrainFactory grains, RegionDirectory regions, CatalogueImporter importer, DemoHistory history, IConfiguration configuration,
    IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<DemoSeeder> logger) : BackgroundService
{
    public const string Password = "TechTransfer#2026";

    // Ids are positions in these lists (江苏's university and 广东's enterprise excepted): append, never reorder.
    // The first ten universities take the demo achievements that name no province; the rest hold the ones that name theirs.
    static readonly string[] UniversityProvinces =
    [
        "江苏", "北京", "上海", "湖北", "四川", "陕西", "辽宁", "广东", "浙江", "山东",
        "山西", "吉林", "黑龙江", "福建", "江西", "河南", "湖南", "广西", "贵州", "云南",
    ];
    // 广东's is the demo enterprise itself (verified at once); the others start unverified.
    static readonly string[] EnterpriseProvinces =
    [
        "广东", "浙江", "江苏", "北京", "四川",
        "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "安徽", "福建", "江西", "山东", "河南",
        "湖北", "湖南", "广西", "海南", "重庆", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
    ];

    public static string UniversityOf(string province) =>
        province == "江苏" ? "org-demo-university" : $"org-demo-university-{Array.IndexOf(UniversityProvinces, province)}";

    public static string EnterpriseOf(string province) =>
        province == "广东" ? "org-demo-enterprise" : $"org-demo-enterprise-{Array.IndexOf(EnterpriseProvinces, province)}";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (!configuration.GetValue<bool>("TechTransfer:Demo")) return;
        if (!await lifetime.WaitForStartAsync(stopping)) return;
        var started = clock.GetTimestamp();
        // Seeding is idempotent; a database outage meanwhile must not stop the host (a background service's
        // exception does: found by the soak, whose PostgreSQL restart stopped a host that was still seeding).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SeedAccountsAsync();
                if (configuration.GetValue("TechTransfer:DemoListings", true))
                {
                    await SeedListingsAsync(stopping);
                    if (configuration.GetValue("TechTransfer:DemoHistory", true)) await history.SeedAsync(stopping);
                }
                break;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Demo seeding failed (attempt {Attempt}); trying again in 2 s", attempt);
                await Task.Delay(TimeSpan.FromSeconds(2), clock, stopping);
            }
        }
        logger.LogInformation("Demo network seeded in {Elapsed}", clock.GetElapsedTime(started));
    }

    async Task SeedAccountsAsync()
    {
        foreach (var province in UniversityProvinces)
            await RegisterAsync(UniversityOf(province), $"演示大学（{province}）", OrganizationKind.University, province);
        foreach (var province in EnterpriseProvinces)
            await RegisterAsync(EnterpriseOf(province), $"演示科技有限公司（{province}）", OrganizationKind.Enterprise, province);
        // The demo enterprise may trade (拍卖/挂牌) at once; the others show what an unverified one is refused.
        await grains.GetGrain<IOrganizationGrain>(EnterpriseOf("广东")).SetVerifiedAsync(true);
        await RegisterAsync("org-torch", "科技部火炬中心（演示）", OrganizationKind.National, "北京");
        foreach (var region in regions.Regions)
            await RegisterAsync(CenterOf(region.Code), region.Name + "（演示）", OrganizationKind.ServiceCenter, region.Provinces[0], region.Code);

        await CreateAccountAsync("demo-university", "演示大学成果转化办", UniversityOf("江苏"), OrganizationKind.University, Role.OrganizationAdmin);
        await CreateAccountAsync("demo-enterprise", "演示科技研发部", EnterpriseOf("广东"), OrganizationKind.Enterprise, Role.OrganizationAdmin);
        await CreateAccountAsync("demo-national", "火炬中心管理员", "org-torch", OrganizationKind.National, Role.NationalAdmin);
        // Experts the centers invite to 科技成果评价 (reviewers come from other organizations than the achievement's).
        await CreateAccountAsync("demo-expert", "王教授（材料科学）", UniversityOf("北京"), OrganizationKind.University, Role.Member);
        await CreateAccountAsync("demo-expert-2", "李研究员（能源工程）", UniversityOf("上海"), OrganizationKind.University, Role.Member);
        await CreateAccountAsync("demo-expert-3", "张教授（信息技术）", UniversityOf("湖北"), OrganizationKind.University, Role.Member);
        foreach (var region in regions.Regions)
        {
            // The center admin decides the applications to join of the region's provinces (机构入驻审核).
            var admin = region.Code == "yangtze-delta" ? "demo-center" : $"demo-center-{region.Code}";
            await CreateAccountAsync(admin, $"{region.ShortName}中心管理员", CenterOf(region.Code), OrganizationKind.ServiceCenter, Role.CenterAdmin, region.Code);
            var name = region.Code == "yangtze-delta" ? "demo-broker" : $"demo-broker-{region.Code}";
            await CreateAccountAsync(name, $"{region.ShortName}技术经纪人", CenterOf(region.Code), OrganizationKind.ServiceCenter, Role.Broker, region.Code);
            await grains.GetGrain<IRegionalCenterGrain>(region.Code).AddBrokerAsync(AccountKeys.Of(name));
        }
    }

    async Task SeedListingsAsync(CancellationToken stopping)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Demo");
        var achievements = await File.ReadAllLinesAsync(Path.Combine(directory, "achievements.jsonl"), stopping);
        foreach (var group in achievements.GroupBy(ProvinceOf))
        {
            var report = await importer.ImportAsync(Seeder(UniversityOf(group.Key), OrganizationKind.University), [.. group], publish: true,
                cancellation: stopping);
            if (report.Rejected > 0) logger.LogWarning("Demo catalogue of {Province}: {Rejected} rows rejected", group.Key, report.Rejected);
        }

        var today = ChinaTime.Today(clock);
        foreach (var (line, index) in (await File.ReadAllLinesAsync(Path.Combine(directory, "demands.jsonl"), stopping)).Select((l, i) => (l, i)))
        {
            var input = Current(JsonSerializer.Deserialize<DemandInput>(line, TechTransferJson.Options)!, today);
            var actor = Seeder(EnterpriseOf(input.Province!), OrganizationKind.Enterprise);
            var demand = grains.GetGrain<IDemandGrain>(ListingIds.DemandFromCatalogue(actor.OrganizationId, $"demo-{index}"));
            if (await demand.GetAsync(actor) is not null) continue;
            DemandContent content;
            try
            {
                content = input.Validate(today);
            }
            catch (ProblemException e)
            {
                // A row the server refuses (its deadline has passed, say) is left out, as a rejected catalogue row is:
                // thrown, it would fail the whole seeding again on every retry.
                logger.LogWarning("Demo demand on line {Line} rejected: {Errors}", index + 1,
                    string.Join(", ", e.Errors.Select(error => $"{error.Field} {error.Rule}")));
                continue;
            }
            await demand.CreateAsync(actor, content);
            await demand.PublishAsync(actor);
        }
    }

    /// <summary>The demo market does not age: a deadline already near or past moves on by whole years.</summary>
    static DemandInput Current(DemandInput input, DateOnly today)
    {
        if (!DateOnly.TryParse(input.Deadline, System.Globalization.CultureInfo.InvariantCulture, out var deadline)) return input;
        while (deadline < today.AddMonths(3)) deadline = deadline.AddYears(1);
        return input with { Deadline = deadline.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) };
    }

    async Task RegisterAsync(string id, string name, OrganizationKind kind, string province, string? region = null) =>
        await grains.GetGrain<IOrganizationGrain>(id).RegisterAsync(new OrganizationProfile(name, kind, province, region));

    async Task CreateAccountAsync(string name, string displayName, string organization, OrganizationKind kind, Role role, string? region = null)
    {
        try
        {
            await grains.GetGrain<IAccountGrain>(AccountKeys.Of(name))
                .CreateAsync(new AccountProfile(displayName, organization, kind, role, region), Password);
        }
        catch (ProblemException e) when (e.Code == ProblemCodes.AlreadyExists)
        {
        }
    }

    static Actor Seeder(string organization, OrganizationKind kind) => new("acct-demo-seeder", organization, kind, Role.OrganizationAdmin);

    static string CenterOf(string regionCode) => $"org-center-{regionCode}";

    static string ProvinceOf(string line) => JsonDocument.Parse(line).RootElement.GetProperty("province").GetString()!;
}
