using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Commands;
using TechTransfer.Vocabulary;

namespace TechTransfer.PushBench;

/// <summary>
/// The benchmark's participants, set up through the public API like any operator would: bench universities and
/// enterprises registered by the national admin, their admins created by the national level and their colleagues
/// by those admins, five accounts per organization; each bench enterprise keeps one open demand carrying a word
/// of its own, so an achievement carrying that word is a known match for it. Idempotent: a rerun reuses all of it.
/// </summary>
public sealed class BenchNetwork
{
    public const string Password = "bench-push-2026";
    const int MembersPerOrganization = 5;
    const int Concurrency = 8;

    public sealed record User(int Index, string Account, Organization Organization)
    {
        public string Token { get; set; } = "";
    }

    public sealed record Organization(string Id, int Number, bool Enterprise, string Province)
    {
        public List<User> Members { get; } = [];
        public User Admin => Members[0];
    }

    /// <summary>An enterprise's open need: <paramref name="Word"/> appears in it and nowhere else on the demand side.</summary>
    public sealed record Demand(string Id, Organization Owner, string Word, string[] Keywords, string TechField, int MinTrl, decimal BudgetMax);

    BenchNetwork(BenchApi api, List<User> users)
    {
        Api = api;
        Users = users;
        Organizations = [.. users.Select(u => u.Organization).Distinct()];
    }

    public BenchApi Api { get; }

    public IReadOnlyList<User> Users { get; }

    public IReadOnlyList<Organization> Organizations { get; }

    public IReadOnlyList<Demand> Demands { get; private set; } = [];

    public IEnumerable<Organization> Universities => Organizations.Where(o => !o.Enterprise);

    /// <summary>
    /// Users alternate between the enterprise and the university side; on each side they fill organizations of
    /// five in order, so a run with fewer users uses a prefix of a bigger run's network.
    /// </summary>
    public static async Task<BenchNetwork> PrepareAsync(HttpClient http, string adminAccount, string adminPassword, int userCount, bool withDemands, Corpus corpus)
    {
        var organizations = new Dictionary<string, Organization>();
        var users = new List<User>();
        for (var i = 0; i < userCount; i++)
        {
            var enterprise = i % 2 == 0;
            var number = i / 2 / MembersPerOrganization;
            var id = $"org-bench-{(enterprise ? "ent" : "uni")}-{number:D4}";
            if (!organizations.TryGetValue(id, out var organization))
                organizations[id] = organization = new Organization(id, number, enterprise, ProvinceOf(number, enterprise));
            var user = new User(i, $"bench-{(enterprise ? "ent" : "uni")}-{number:D4}-{organization.Members.Count}", organization);
            organization.Members.Add(user);
            users.Add(user);
        }
        var network = new BenchNetwork(new BenchApi(http), users);
        var national = await network.Api.SignInAsync(adminAccount, adminPassword);

        Console.Error.WriteLine($"bench-push: {organizations.Count} bench organizations, {users.Count} accounts…");
        await ForEachAsync(network.Organizations, o => network.RegisterAsync(national, o));
        var existing = new HashSet<string>();
        await ForEachAsync(network.Organizations, async o =>
        {
            var members = (await network.Api.SendAsync(HttpMethod.Get, $"/api/organizations/{o.Id}", national)).GetProperty("members");
            lock (existing) existing.UnionWith(members.EnumerateArray().Select(m => m.GetString()!));
        });
        bool Missing(User u) => !existing.Contains("acct-" + u.Account);
        // The national level creates each organization's admin; the admin adds the colleagues.
        await ForEachAsync(network.Organizations.Where(o => Missing(o.Admin)), o => network.CreateAccountAsync(national, o.Admin, "OrganizationAdmin"));
        await ForEachAsync(network.Organizations, async o => o.Admin.Token = await network.Api.SignInAsync(o.Admin.Account, Password));
        await ForEachAsync(users.Where(u => u != u.Organization.Admin && Missing(u)), u => network.CreateAccountAsync(u.Organization.Admin.Token, u, "Member"));
        await ForEachAsync(users.Where(u => u != u.Organization.Admin), async u => u.Token = await network.Api.SignInAsync(u.Account, Password));
        if (withDemands) network.Demands = await network.EnsureDemandsAsync(corpus);
        return network;
    }

    /// <summary>Bench organizations spread over the provinces (and so over every regional center).</summary>
    static string ProvinceOf(int number, bool enterprise) => Provinces.All[(number * 7 + (enterprise ? 0 : 3)) % (Provinces.All.Count - 3)];

    /// <summary>The word that ties achievements to enterprise <paramref name="number"/>'s demand: "zzq" + five letters.</summary>
    static string WordOf(int number)
    {
        var letters = new char[5];
        for (var i = 4; i >= 0; i--, number /= 26) letters[i] = (char)('a' + number % 26);
        return "zzq" + new string(letters);
    }

    async Task RegisterAsync(string token, Organization o)
    {
        var name = o.Enterprise ? $"压测科技有限公司{o.Number:D4}" : $"压测大学{o.Number:D4}";
        await Api.SendAsync(HttpMethod.Post, "/api/organizations", token,
            new { id = o.Id, name, kind = o.Enterprise ? "Enterprise" : "University", province = o.Province });
    }

    async Task CreateAccountAsync(string token, User u, string role)
    {
        try
        {
            await Api.SendAsync(HttpMethod.Post, $"/api/organizations/{u.Organization.Id}/accounts", token,
                new { account = u.Account, displayName = $"压测用户{u.Index}", role, password = Password });
        }
        catch (ApiException e) when (e.Status == HttpStatusCode.Conflict)
        {
            // created by an earlier run that stopped half-way
        }
    }

    async Task<IReadOnlyList<Demand>> EnsureDemandsAsync(Corpus corpus)
    {
        var demands = new List<Demand>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await ForEachAsync(Organizations.Where(o => o.Enterprise), async o =>
        {
            var word = WordOf(o.Number);
            var page = await Api.SendAsync(HttpMethod.Get, $"/api/demands?owner={o.Id}&status=Published&size=100", o.Admin.Token);
            var found = page.GetProperty("items").EnumerateArray()
                .FirstOrDefault(d => d.GetProperty("keywords").EnumerateArray().Any(k => k.GetString() == word));
            if (found.ValueKind != JsonValueKind.Object)
            {
                var text = corpus.Demand(new Random(o.Number));
                var body = new
                {
                    title = $"{text.Title}（{word}）",
                    description = text.Body,
                    keywords = (string[])[word, .. text.Keywords],
                    techField = text.TechField,
                    minTrl = 4,
                    budgetMin = 100,
                    budgetMax = 800,
                    province = o.Province,
                    deadline = today.AddYears(3).ToString("yyyy-MM-dd"),
                    contact = new { name = "压测联系人", phone = "010-12345678" },
                };
                var id = (await Api.SendAsync(HttpMethod.Post, "/api/demands", o.Admin.Token, body)).GetProperty("id").GetString()!;
                await Api.SendAsync(HttpMethod.Post, $"/api/demands/{id}/publish", o.Admin.Token);
                found = await Api.SendAsync(HttpMethod.Get, $"/api/demands/{id}", o.Admin.Token);
            }
            var demand = new Demand(found.GetProperty("id").GetString()!, o, word,
                [.. found.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()!)], found.GetProperty("techField").GetString()!,
                found.GetProperty("minTrl").GetInt32(), found.GetProperty("budgetMax").GetDecimal());
            lock (demands) demands.Add(demand);
        });
        return [.. demands.OrderBy(d => d.Owner.Number)];
    }

    /// <summary>The create body of an achievement of <paramref name="university"/> made to fit <paramref name="demand"/>.</summary>
    public static object AchievementFor(Organization university, Demand demand, Corpus corpus, int seed)
    {
        var text = corpus.Achievement(new Random(seed));
        return AchievementFor(university.Province, demand, text, $"{demand.Word} {text.Title}");
    }

    /// <summary>The same with the recombined text and title chosen by the caller (the soak marks its titles).</summary>
    public static object AchievementFor(string province, Demand demand, Corpus.Text text, string title) =>
        new
        {
            title,
            summary = text.Body,
            keywords = demand.Keywords.Concat(text.Keywords).Distinct().Take(8).ToArray(),
            techField = demand.TechField,
            trl = Math.Max(demand.MinTrl, 7),
            transferModes = new[] { "License" },
            askingPrice = demand.BudgetMax,
            province,
            ipRights = Array.Empty<object>(),
            contact = new { name = "成果转化办公室", phone = "010-87654321" },
        };

    static Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> work) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (item, _) => await work(item));
}
