using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Accounts;
using TechTransfer.Contracts;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;
using static TechTransfer.Tests.Contracts.ContractSamples;

namespace TechTransfer.Tests.Valuation;

/// <summary>A database of its own: the comparables of a valuation are every contract and trade on the network.</summary>
[CollectionDefinition(Name)]
public sealed class ValuationCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "valuation";
}

/// <summary>
/// 评估报价 through the real host and PostgreSQL, from a scripted set of registered contracts and a fixed-price sale:
/// which are comparables, their weights, the weighted quartiles, 样本不足, the methods, who sees what.
/// </summary>
[Collection(ValuationCollection.Name)]
public sealed class ValuationApiTests(ApiFixture api)
{
    static readonly Actor YangtzeBroker = new("acct-demo-broker", "org-center-yangtze-delta", OrganizationKind.ServiceCenter, Role.Broker, "yangtze-delta");

    /// <summary>The subject: a new-materials achievement at TRL 6 with an invention patent.</summary>
    internal static JsonObject Perovskite() => Samples.Achievement("钙钛矿叠层光伏组件封装工艺")
        .With("summary", "采用原子层沉积阻水层，延长钙钛矿叠层光伏组件户外寿命。")
        .With("keywords", new JsonArray("钙钛矿", "光伏封装"))
        .With("techField", "NewMaterials").With("askingPrice", 260);

    /// <summary>An alloy achievement: no word in common with the subject, so its text score is 0 and its similarity exact.</summary>
    static JsonObject Alloy(string title, string field, int trl, params string[] ipKinds) => Samples.Achievement(title)
        .With("summary", "面向航空发动机叶片，强度与韧性兼顾，适合批量应用。")
        .With("keywords", new JsonArray("高温合金", "粉末冶金"))
        .With("techField", field).With("trl", trl)
        .With("ipRights", new JsonArray([.. ipKinds.Select((k, i) => (JsonNode)new JsonObject { ["kind"] = k, ["number"] = $"ZL20231000{i}.X" })]));

    Task<string> PublishAsync(FreshOrganization owner, JsonObject body) => PublishAsync(api.SignedInAsync, owner, body);

    static async Task<string> PublishAsync(Func<string, Task<HttpClient>> signIn, FreshOrganization owner, JsonObject body) =>
        await (await signIn(owner.Account)).CreatePublishedAsync("/api/achievements", body);

    Task RegisterAsync(string achievementId, string techField, string seller, string type, decimal tech, int daysAgo) =>
        RegisterAsync(api.Host.Services, achievementId, techField, seller, type, tech, daysAgo);

    /// <summary>A contract registered by the Yangtze center for the achievement, signed <paramref name="daysAgo"/> days ago.</summary>
    static async Task RegisterAsync(IServiceProvider services, string achievementId, string techField, string seller, string type, decimal tech, int daysAgo)
    {
        var facts = Facts("yangtze-delta", techField, seller: seller) with { AchievementId = achievementId };
        await services.GetRequiredService<IGrainFactory>().GetGrain<IContractRegistryGrain>("yangtze-delta")
            .RegisterAsync(YangtzeBroker, facts, Content(tech * 2, tech, Today.AddDays(-daysAgo).ToString("yyyy-MM-dd"), type));
    }

    async Task<JsonElement> ValuationAsync(HttpClient client, string achievementId)
    {
        var response = await client.GetAsync($"/api/achievements/{achievementId}/valuation");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    /// <summary>The scripted market of the subject; returns the subject's owner and id and the fixed-price sale.</summary>
    internal static async Task<(FreshOrganization Owner, string Subject, string Sale)> ScriptedMarketAsync(
        Func<string, Task<HttpClient>> signIn, IServiceProvider services)
    {
        var owner = await FreshOrganization.CreateAsync(signIn, "University");
        var other = await FreshOrganization.CreateAsync(signIn, "University");
        Task<string> PublishAsync(FreshOrganization by, JsonObject body) => ValuationApiTests.PublishAsync(signIn, by, body);
        Task RegisterAsync(string id, string field, string seller, string type, decimal tech, int daysAgo) =>
            ValuationApiTests.RegisterAsync(services, id, field, seller, type, tech, daysAgo);
        var subject = await PublishAsync(owner, Perovskite());

        // Same field, TRL and IP kinds: similarity 0.5 (text 0: 0.2 + 0.15 + 0.15 over the weights 1.0).
        var twin = await PublishAsync(other, Alloy("镍基高温合金定向凝固", "NewMaterials", 6, "InventionPatent"));
        await RegisterAsync(twin, "NewMaterials", other.Id, "License", 100, daysAgo: 0);            // weight 0.5
        // The owner's own earlier licence of a similar one: its amount is the owner's to see.
        var own = await PublishAsync(owner, Alloy("钛合金增材修复", "NewMaterials", 6, "InventionPatent"));
        await RegisterAsync(own, "NewMaterials", owner.Id, "Transfer", 200, daysAgo: 365);          // weight 0.25 (one half-life)
        // TRL 5 (0.875) and half the IP kinds (0.5): 0.2 + 0.13125 + 0.075 = 0.40625 → 0.406; two half-lives: 0.1015.
        var near = await PublishAsync(other, Alloy("铝锂合金搅拌摩擦焊", "NewMaterials", 5, "InventionPatent", "SoftwareCopyright"));
        await RegisterAsync(near, "NewMaterials", other.Id, "License", 50, daysAgo: 730);
        // Not comparables: TRL 4 and another IP kind (0.3125 < 0.4); another field (0.3); a consulting contract.
        var far = await PublishAsync(other, Alloy("高熵合金粉末冶金路线", "NewMaterials", 4, "UtilityModel"));
        await RegisterAsync(far, "NewMaterials", other.Id, "License", 999, daysAgo: 0);
        var elsewhere = await PublishAsync(other, Alloy("镁合金压铸模具", "ElectronicInformation", 6, "InventionPatent"));
        await RegisterAsync(elsewhere, "ElectronicInformation", other.Id, "Transfer", 777, daysAgo: 0);
        await RegisterAsync(twin, "NewMaterials", other.Id, "Consulting", 888, daysAgo: 0);

        // A fixed-price sale (挂牌, accepted today) of a twin: public, weight 0.5.
        var sold = await PublishAsync(other, Alloy("钴基合金耐磨涂层", "NewMaterials", 6, "InventionPatent"));
        var offer = await (await signIn(other.Account)).PostAsJsonAsync("/api/fixed-price-listings",
            new { achievementId = sold, price = 300m, endsAt = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.True(offer.StatusCode == HttpStatusCode.Created, await offer.Content.ReadAsStringAsync());
        var sale = (await offer.BodyAsync()).GetProperty("id").GetString()!;
        var national = await signIn("demo-national");
        (await national.PostAsJsonAsync("/api/organizations/org-demo-enterprise/verification", new { verified = true })).EnsureSuccessStatusCode();
        var accepted = await (await signIn("demo-enterprise")).PostAsync($"/api/fixed-price-listings/{sale}/accept", null);
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        return (owner, subject, sale);
    }

    [Fact]
    public async Task Comparables_are_weighted_by_similarity_and_a_one_year_half_life_and_give_weighted_quartiles_hiding_amounts_the_viewer_may_not_see()
    {
        var (owner, subject, sale) = await ScriptedMarketAsync(api.SignedInAsync, api.Host.Services);

        // National sees every amount. Sorted by amount: 50 (0.1015), 100 (0.5), 200 (0.25), 300 (0.5); total 1.3515.
        // Quartile targets 0.338, 0.676, 1.014: cumulative 0.1015, 0.6015 → 100; 0.8515 → 200; 1.3515 → 300.
        var all = await ValuationAsync(await api.SignedInAsync("demo-national"), subject);
        Assert.Equal((100m, 200m, 300m, "万元", 4, 0), (all.GetProperty("low").GetDecimal(), all.GetProperty("mid").GetDecimal(),
            all.GetProperty("high").GetDecimal(), all.GetProperty("unit").GetString(), all.GetProperty("sampleSize").GetInt32(),
            all.GetProperty("undisclosed").GetInt32()));
        var rows = all.GetProperty("comparables").EnumerateArray()
            .Select(c => (Kind: c.GetProperty("kind").GetString(), Amount: c.GetProperty("amount").GetDecimal(), Similarity: c.GetProperty("similarity").GetDouble(),
                Weight: c.GetProperty("weight").GetDouble(), Date: c.GetProperty("date").GetString(), Text: c.GetProperty("parts").GetProperty("text").GetDouble()))
            .ToList();
        // Heaviest first; equal weights newest first, then by reference (a contract number before a trade id).
        Assert.Equal([100m, 300m, 200m, 50m], rows.Select(r => r.Amount));
        Assert.Equal([(0.5, 0.5), (0.5, 0.5), (0.5, 0.25), (0.406, 0.1015)], rows.Select(r => (r.Similarity, r.Weight)));
        Assert.All(rows, r => Assert.Equal(0, r.Text));
        Assert.Equal(("fixedPrice", Today.ToString("yyyy-MM-dd")), (rows.Single(r => r.Amount == 300).Kind, rows.Single(r => r.Amount == 300).Date));
        Assert.Equal(Today.AddDays(-730).ToString("yyyy-MM-dd"), rows.Single(r => r.Amount == 50).Date);
        Assert.DoesNotContain(rows, r => r.Amount is 999 or 777 or 888);
        var saleRow = all.GetProperty("comparables").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "fixedPrice");
        Assert.Equal((sale, "钴基合金耐磨涂层"), (saleRow.GetProperty("ref").GetString(), saleRow.GetProperty("title").GetString()));
        Assert.Equal("长三角区域服务中心", all.GetProperty("names").GetProperty("yangtze-delta").GetString());
        Assert.StartsWith("依据 4 笔可比交易", all.GetProperty("note").GetString());

        // The owner: the same range; of the contracts only its own (200) shows its amount, the other two count unlisted.
        var mine = await ValuationAsync(await api.SignedInAsync(owner.Account), subject);
        Assert.Equal((100m, 200m, 300m, 4, 2), (mine.GetProperty("low").GetDecimal(), mine.GetProperty("mid").GetDecimal(),
            mine.GetProperty("high").GetDecimal(), mine.GetProperty("sampleSize").GetInt32(), mine.GetProperty("undisclosed").GetInt32()));
        var shown = mine.GetProperty("comparables").EnumerateArray().ToList();
        Assert.Equal([300m, 200m], shown.Where(c => c.GetProperty("amount").ValueKind == JsonValueKind.Number).Select(c => c.GetProperty("amount").GetDecimal()).OrderDescending());
        Assert.All(shown.Where(c => c.GetProperty("amount").ValueKind == JsonValueKind.Null),
            c => Assert.True(c.GetProperty("ref").ValueKind == JsonValueKind.Null && c.GetProperty("title").ValueKind == JsonValueKind.Null));
        Assert.Contains("2 笔金额对您不公开", mine.GetProperty("note").GetString());
        Assert.True(mine.GetProperty("mayEditInputs").GetBoolean());

        // Another center's broker sees guidance but not the Yangtze contracts' amounts; the registering center's broker does.
        var central = await ValuationAsync(await api.SignedInAsync("demo-broker-central"), subject);
        Assert.Equal((3, false), (central.GetProperty("undisclosed").GetInt32(), central.GetProperty("mayEditInputs").GetBoolean()));
        Assert.Equal(0, (await ValuationAsync(await api.SignedInAsync("demo-broker"), subject)).GetProperty("undisclosed").GetInt32());
    }

    [Fact]
    public async Task Fewer_comparables_than_the_minimum_say_samples_are_insufficient_the_text_score_counts_and_a_demand_gets_its_budget_guidance()
    {
        var owner = await FreshOrganization.CreateAsync(api.SignedInAsync, "University");
        var other = await FreshOrganization.CreateAsync(api.SignedInAsync, "University");
        JsonObject Carrier(string field, int trl, string ip) => Samples.Achievement("靶向mRNA脂质纳米递送载体")
            .With("summary", "可电离脂质配方，肝外靶向递送效率提高。").With("keywords", new JsonArray("mRNA递送", "脂质纳米粒"))
            .With("techField", field).With("trl", trl).With("ipRights", new JsonArray(new JsonObject { ["kind"] = ip, ["number"] = "ZL202320000001.X" }));
        var subject = await PublishAsync(owner, Carrier("BioMedicine", 3, "Design"));
        // Same words, but another field, TRL 9 (0.25) and another IP kind: only its text makes it a comparable.
        var same = await PublishAsync(other, Carrier("NewEnergy", 9, "IcLayout"));
        await RegisterAsync(same, "NewEnergy", other.Id, "Transfer", 120, daysAgo: 0);

        var body = await ValuationAsync(await api.SignedInAsync(owner.Account), subject);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("low").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("mid").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("high").ValueKind);
        Assert.Equal((1, 3), (body.GetProperty("sampleSize").GetInt32(), body.GetProperty("minSampleSize").GetInt32()));
        Assert.StartsWith("样本不足", body.GetProperty("note").GetString());
        var only = Assert.Single(body.GetProperty("comparables").EnumerateArray());
        var parts = only.GetProperty("parts");
        var text = parts.GetProperty("text").GetDouble();
        Assert.InRange(text, 0.725, 1);
        Assert.Equal((0.0, 0.25, 0.0), (parts.GetProperty("field").GetDouble(), parts.GetProperty("trl").GetDouble(), parts.GetProperty("ip").GetDouble()));
        Assert.Equal(Math.Round(0.5 * text + 0.15 * 0.25, 3), only.GetProperty("similarity").GetDouble());

        // A demand's budget from the buyer's side: the same sale, IP not applicable (weights renormalised to 0.85).
        var buyer = await FreshOrganization.CreateAsync(api.SignedInAsync);
        var demand = await (await api.SignedInAsync(buyer.Account)).CreatePublishedAsync("/api/demands", Samples.Demand("寻求靶向mRNA脂质纳米递送载体")
            .With("description", "需要可电离脂质配方与肝外靶向递送。").With("keywords", new JsonArray("mRNA递送", "脂质纳米粒"))
            .With("techField", "NewEnergy").With("minTrl", 9));
        var budget = await (await api.SignedInAsync(buyer.Account)).GetFromJsonAsync<JsonElement>($"/api/demands/{demand}/valuation");
        var sale = budget.GetProperty("comparables").EnumerateArray().Single(c => c.GetProperty("amount").ValueKind == JsonValueKind.Null);
        var demandParts = sale.GetProperty("parts");
        Assert.Equal((1.0, 1.0, JsonValueKind.Null), (demandParts.GetProperty("field").GetDouble(), demandParts.GetProperty("trl").GetDouble(),
            demandParts.GetProperty("ip").ValueKind));
        Assert.Equal(Math.Round((0.5 * demandParts.GetProperty("text").GetDouble() + 0.2 + 0.15) / 0.85, 3), sale.GetProperty("similarity").GetDouble());
        Assert.Empty(budget.GetProperty("methods").EnumerateArray());
        await (await (await api.SignedInAsync(owner.Account)).GetAsync($"/api/demands/{demand}/valuation")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task An_awarded_tender_is_a_comparable_at_its_awarded_bid_whose_amount_only_the_tendering_side_its_center_and_national_see()
    {
        JsonObject Words(JsonObject body) => body.With("keywords", new JsonArray("低温等离子体", "废气处理")).With("techField", "ResourcesEnvironment");
        var enterprise = await api.SignedInAsync("demo-enterprise"); // 广东 → greater-bay
        var demand = await enterprise.CreatePublishedAsync("/api/demands", Words(Samples.Demand("低温等离子体废气处理装置"))
            .With("description", "喷涂车间需要低温等离子体废气处理装置。").With("minTrl", 6));
        var created = await enterprise.PostAsJsonAsync("/api/tenders", new { demandId = demand, deadline = DateTimeOffset.UtcNow.AddSeconds(3), criteria = "技术方案 60 分，报价 40 分" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var tender = (await created.BodyAsync()).GetProperty("id").GetString()!;
        var bid = await (await api.SignedInAsync("demo-university")).PostAsJsonAsync($"/api/tenders/{tender}/bids",
            new { clientBidId = "v1", price = 150m, plan = "低温等离子体模块化方案", durationDays = 90 });
        Assert.True(bid.StatusCode == HttpStatusCode.OK, await bid.Content.ReadAsStringAsync());
        JsonElement opened = default;
        for (var i = 0; i < 60 && opened.ValueKind == JsonValueKind.Undefined; i++)
        {
            var view = await enterprise.GetFromJsonAsync<JsonElement>($"/api/tenders/{tender}");
            if (view.GetProperty("status").GetString() == "Opened") opened = view;
            else await Task.Delay(250);
        }
        Assert.NotEqual(JsonValueKind.Undefined, opened.ValueKind);
        var number = opened.GetProperty("bids")[0].GetProperty("bidNumber").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await enterprise.PostAsJsonAsync($"/api/tenders/{tender}/award", new { bidNumber = number })).StatusCode);

        var owner = await FreshOrganization.CreateAsync(api.SignedInAsync, "University");
        var subject = await PublishAsync(owner, Words(Samples.Achievement("低温等离子体废气处理装置")).With("summary", "模块化低温等离子体废气处理装置。"));
        // National: the awarded bid's price; similarity over text, field and TRL (a demand has no IP rights: weights 0.85).
        var all = await ValuationAsync(await api.SignedInAsync("demo-national"), subject);
        var row = all.GetProperty("comparables").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "tender");
        var parts = row.GetProperty("parts");
        Assert.Equal((tender, 150m, Today.ToString("yyyy-MM-dd")), (row.GetProperty("ref").GetString(), row.GetProperty("amount").GetDecimal(), row.GetProperty("date").GetString()));
        Assert.Equal(Math.Round((0.5 * parts.GetProperty("text").GetDouble() + 0.2 + 0.15) / 0.85, 3), row.GetProperty("similarity").GetDouble());
        Assert.Equal(JsonValueKind.Null, parts.GetProperty("ip").ValueKind);
        // The tender's center sees it; the achievement's owner and another center's broker do not (it still counts).
        Assert.Equal(150m, (await ValuationAsync(await api.SignedInAsync("demo-broker-greater-bay"), subject)).GetProperty("comparables")
            .EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "tender").GetProperty("amount").GetDecimal());
        foreach (var account in new[] { owner.Account, "demo-broker" })
        {
            var hidden = (await ValuationAsync(await api.SignedInAsync(account), subject)).GetProperty("comparables").EnumerateArray()
                .Single(c => c.GetProperty("kind").GetString() == "tender");
            Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (hidden.GetProperty("amount").ValueKind, hidden.GetProperty("ref").ValueKind));
        }
    }

    [Fact]
    public async Task Method_inputs_are_validated_shown_side_by_side_and_only_the_owner_gives_them_and_only_owner_brokers_and_national_see_them()
    {
        var owner = await FreshOrganization.CreateAsync(api.SignedInAsync, "University");
        var subject = await PublishAsync(owner, Perovskite());
        var seller = await api.SignedInAsync(owner.Account);
        var path = $"/api/achievements/{subject}/valuation-inputs";

        var bad = await seller.PutAsJsonAsync(path, new
        {
            income = new { annualBenefit = -5, shareMin = 30, shareMax = 20, years = 0, discountRate = 60 },
            replacementCost = new { rdCost = 100.1234567m, profitRate = (decimal?)null, usedYears = 0, remainingYears = 0 },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.BodyAsync();
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("field").GetString(), e.GetProperty("rule").GetString())).ToHashSet();
        Assert.Equal(new HashSet<(string?, string?)>
        {
            ("income.annualBenefit", "positive"), ("income.shareMin", "range"), ("income.years", "range"), ("income.discountRate", "range"),
            ("replacementCost.rdCost", "invalid-format"), ("replacementCost.profitRate", "required"), ("replacementCost.remainingYears", "positive"),
        }, errors);
        Assert.Equal("validation", problem.GetProperty("code").GetString());
        var first = problem.GetProperty("errors")[0];
        Assert.False(string.IsNullOrEmpty(first.GetProperty("zh").GetString()));
        Assert.False(string.IsNullOrEmpty(first.GetProperty("en").GetString()));
        Assert.Empty((await ValuationAsync(seller, subject)).GetProperty("methods").EnumerateArray()); // nothing half-written

        var good = new
        {
            income = new { annualBenefit = 100, shareMin = 10, shareMax = 20, years = 5, discountRate = 10 },
            replacementCost = new { rdCost = 200, profitRate = 25, usedYears = 2, remainingYears = 8 },
        };
        Assert.Equal(HttpStatusCode.OK, (await seller.PutAsJsonAsync(path, good)).StatusCode);
        // 收益法: 100 × 10%..20% × Σ 1/1.1^t (t = 1..5, 3.790787) = 37.91..75.82; 成本法: 200 × 8/10 = 160, × 1.25 = 200.
        var methods = (await ValuationAsync(seller, subject)).GetProperty("methods").EnumerateArray()
            .Select(m => (m.GetProperty("name").GetString(), m.GetProperty("low").GetDecimal(), m.GetProperty("high").GetDecimal())).ToList();
        Assert.Equal([("income", 37.91m, 75.82m), ("replacementCost", 160m, 200m)], methods);

        // Brokers and the national level see the inputs; another enterprise may see the achievement but not its valuation.
        foreach (var account in new[] { "demo-broker", "demo-broker-central", "demo-national" })
            Assert.Equal(5, (await ValuationAsync(await api.SignedInAsync(account), subject)).GetProperty("inputs").GetProperty("income").GetProperty("years").GetInt32());
        var outsider = await api.SignedInAsync((await FreshOrganization.CreateAsync(api.SignedInAsync)).Account);
        Assert.Equal(HttpStatusCode.OK, (await outsider.GetAsync($"/api/achievements/{subject}")).StatusCode);
        await (await outsider.GetAsync($"/api/achievements/{subject}/valuation")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await outsider.PutAsJsonAsync(path, good)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await (await api.SignedInAsync("demo-broker")).PutAsJsonAsync(path, good)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync($"/api/achievements/{subject}/valuation")).StatusCode);
        // A draft is not there for an outsider; an unknown id is not there for anyone.
        var draft = await seller.PostAsJsonAsync("/api/achievements", Perovskite());
        var draftId = (await draft.BodyAsync()).GetProperty("id").GetString();
        await (await outsider.GetAsync($"/api/achievements/{draftId}/valuation")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await outsider.PutAsJsonAsync($"/api/achievements/{draftId}/valuation-inputs", good)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await seller.GetAsync("/api/achievements/ach-nope/valuation")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        // Clearing both methods removes them.
        Assert.Equal(HttpStatusCode.OK, (await seller.PutAsJsonAsync(path, new { })).StatusCode);
        Assert.Empty((await ValuationAsync(seller, subject)).GetProperty("methods").EnumerateArray());
    }
}
