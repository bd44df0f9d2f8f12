using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Demo;
using TechTransfer.Security;
using TechTransfer.Tests.Deals;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Security;

/// <summary>
/// docs/security.md's authorization matrix, cell by cell, through the real HTTP API. The table below is the
/// matrix: "ok" means allowed (2xx, and for reads the private part is in the answer); "hidden" means answered
/// without the private part; a status code means refused with that status, and then the database must be
/// exactly as it was before the request.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(ApiFixture api)
{
    // The roles, as concrete accounts: members and the admin of the university (江苏 → yangtze-delta) and the enterprise
    // (广东 → greater-bay) that own the listings and are the parties of each deal; the broker and a center admin of
    // yangtze-delta, whose broker claims each deal; the national level; nobody signed in.
    const string UniversityMember = "university-member", EnterpriseMember = "enterprise-member", OrganizationAdmin = "organization-admin",
        Broker = "broker", CenterAdmin = "center-admin", NationalAdmin = "national-admin", Anonymous = "anonymous";

    static readonly string[] Roles = [UniversityMember, EnterpriseMember, OrganizationAdmin, Broker, CenterAdmin, NationalAdmin, Anonymous];

    const string Matrix = """
        action               university-member enterprise-member organization-admin broker center-admin national-admin anonymous
        create-achievement   ok     ok     ok     403    403    403    401
        create-demand        403    ok     403    403    403    403    401
        edit                 ok     403    ok     403    403    ok     401
        publish              ok     403    ok     403    403    ok     401
        withdraw             ok     403    ok     403    403    ok     401
        renew                ok     403    ok     403    403    ok     401
        close-demand         403    ok     403    403    403    ok     401
        read-draft           ok     404    ok     404    404    ok     404
        read-listing-contact ok     hidden ok     hidden hidden ok     hidden
        read-deal-contacts   ok     ok     ok     ok     ok     hidden 401
        read-contract        ok     ok     ok     ok     ok     ok     401
        express-interest     ok     ok     ok     403    403    403    401
        claim                403    403    403    ok     ok     403    401
        change-stage         403    403    403    ok     ok     403    401
        close-deal           403    403    403    ok     ok     403    401
        register-contract    403    403    403    ok     ok     403    401
        register-own-contract ok    403    ok     403    403    403    401
        amend-contract       403    403    403    ok     ok     ok     401
        start-evaluation     403    403    403    ok     ok     ok     401
        publish-evaluation   403    404    403    ok     ok     ok     401
        rate-broker          ok     ok     ok     403    403    403    401
        read-broker-credit   403    403    403    ok     ok     ok     401
        contest-entry        ok     ok     ok     ok     403    403    401
        decide-contest       403    403    403    403    ok     ok     401
        read-contest-queue   403    403    403    403    ok     ok     401
        read-center-credit   403    403    403    ok     ok     ok     401
        create-organization  403    403    403    403    403    ok     401
        create-account       403    403    ok     403    403    ok     401
        appoint-broker       403    403    403    403    403    ok     401
        reindex              403    403    403    403    403    ok     401
        read-center-queue    403    403    403    ok     ok     ok     401
        connect-hub          ok     ok     ok     ok     ok     ok     401
        """;

    public static TheoryData<string, string, string> Cells()
    {
        var data = new TheoryData<string, string, string>();
        var lines = Matrix.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < Roles.Length; i++) data.Add(cells[0], Roles[i], cells[i + 1]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Cell(string action, string role, string expected)
    {
        var scenario = await ArrangeAsync(action);
        var client = await ClientAsync(role);
        var before = scenario.Mutates && expected != "ok" ? await DatabaseState.SettledAsync(api.Database.ConnectionString) : null;

        var response = await scenario.Act(client);
        var body = await response.Content.ReadAsStringAsync();
        var because = $"{role} {action}: {(int)response.StatusCode} {body}";

        switch (expected)
        {
            case "ok":
                Assert.True(response.IsSuccessStatusCode, because);
                if (scenario.Private is { } visible) Assert.True(visible(JsonDocument.Parse(body).RootElement), "private part missing: " + because);
                break;
            case "hidden":
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.False(scenario.Private!(JsonDocument.Parse(body).RootElement), "private part shown: " + because);
                break;
            default:
                Assert.True((int)response.StatusCode == int.Parse(expected), because);
                var problem = JsonDocument.Parse(body).RootElement; // every refusal is an RFC 7807 problem
                Assert.StartsWith("urn:techtransfer:problem:", problem.GetProperty("type").GetString());
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                break;
        }
        if (before is not null)
        {
            var after = await DatabaseState.SettledAsync(api.Database.ConnectionString);
            Assert.True(DatabaseState.Same(before, after), $"a refused request changed {DatabaseState.Diff(before, after)}: {because}");
        }
    }

    /// <summary>What one action does to a freshly arranged target; Private says whether an answer carries the private part.</summary>
    sealed record Scenario(Func<HttpClient, Task<HttpResponseMessage>> Act, bool Mutates = true, Func<JsonElement, bool>? Private = null);

    async Task<Scenario> ArrangeAsync(string action)
    {
        switch (action)
        {
            case "create-achievement":
                return new(c => c.PostAsJsonAsync("/api/achievements", Samples.Achievement()));
            case "create-demand":
                return new(c => c.PostAsJsonAsync("/api/demands", Samples.Demand()));
            case "edit":
            {
                var (id, etag) = await DraftAchievementAsync();
                return new(c => Send(c, HttpMethod.Put, $"/api/achievements/{id}", Samples.Achievement("修改后的标题"), etag));
            }
            case "publish":
            {
                var (id, _) = await DraftAchievementAsync();
                return new(c => c.PostAsync($"/api/achievements/{id}/publish", null));
            }
            case "withdraw":
            {
                var id = await (await Demo("demo-university")).CreatePublishedAsync("/api/achievements", Samples.Achievement());
                return new(c => c.PostAsync($"/api/achievements/{id}/withdraw", null));
            }
            case "renew":
            {
                var id = await (await Demo("demo-university")).CreatePublishedAsync("/api/achievements", Samples.Achievement());
                return new(c => c.PostAsync($"/api/achievements/{id}/renew", null));
            }
            case "close-demand":
            {
                var id = await (await Demo("demo-enterprise")).CreatePublishedAsync("/api/demands", Samples.Demand());
                return new(c => c.PostAsync($"/api/demands/{id}/close", null));
            }
            case "read-draft":
            {
                var (id, _) = await DraftAchievementAsync();
                return new(c => c.GetAsync($"/api/achievements/{id}"), Mutates: false);
            }
            case "read-listing-contact":
            {
                var id = await (await Demo("demo-university")).CreatePublishedAsync("/api/achievements", Samples.Achievement());
                return new(c => c.GetAsync($"/api/achievements/{id}"), Mutates: false,
                    Private: b => b.GetProperty("contact").ValueKind == JsonValueKind.Object);
            }
            case "read-deal-contacts":
            {
                var deal = await DealAsync("Lead");
                return new(c => c.GetAsync($"/api/deals/{deal}"), Mutates: false,
                    Private: b => b.GetProperty("contacts").ValueKind == JsonValueKind.Object);
            }
            case "read-contract":
            {
                var number = await ContractAsync();
                return new(c => c.GetAsync($"/api/contracts/{number}"), Mutates: false,
                    Private: b => b.GetProperty("content").GetProperty("contractAmount").GetDecimal() == 300m);
            }
            case "express-interest":
            {
                var deal = await DealAsync("Matched");
                return new(c => c.PostAsJsonAsync($"/api/deals/{deal}/interest", new { note = "有意向" }));
            }
            case "claim":
            {
                var deal = await DealAsync("Lead");
                return new(c => c.PostAsJsonAsync($"/api/deals/{deal}/claim", new { }));
            }
            case "change-stage":
            {
                var deal = await DealAsync("Introduced");
                return new(c => c.PostAsJsonAsync($"/api/deals/{deal}/stage", new { stage = "Negotiating" }));
            }
            case "close-deal":
            {
                var deal = await DealAsync("Introduced");
                return new(c => c.PostAsJsonAsync($"/api/deals/{deal}/close", new { reason = "双方终止洽谈" }));
            }
            case "register-contract":
            {
                var deal = await DealAsync("ContractSigned");
                return new(c => c.PostAsJsonAsync($"/api/deals/{deal}/contract", Contract));
            }
            case "register-own-contract":
            {
                var deal = await DealAsync("Introduced");
                return new(c => c.PostAsJsonAsync($"/api/deals/{deal}/own-contract", new
                {
                    type = "License", contractAmount = 90m, techTransactionAmount = 90m, seller = "演示大学", buyer = "演示科技有限公司",
                    signingDate = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"), acknowledgeBroker = true,
                }));
            }
            case "start-evaluation":
            {
                var id = await (await Demo("demo-university")).CreatePublishedAsync("/api/achievements", Samples.Achievement().With("province", "江苏"));
                return new(c => c.PostAsJsonAsync($"/api/achievements/{id}/evaluations", new { reviewers = new[] { "demo-broker-central" } }));
            }
            case "publish-evaluation":
            {
                var id = await (await Demo("demo-university")).CreatePublishedAsync("/api/achievements", Samples.Achievement().With("province", "江苏"));
                var evaluation = (await OkAsync("demo-broker", $"/api/achievements/{id}/evaluations", new { reviewers = new[] { "demo-broker-central" } }))
                    .GetProperty("id").GetString();
                await OkAsync("demo-broker-central", $"/api/evaluations/{evaluation}/reviews", new
                {
                    trl = 6, trlEvidence = new[] { "中试报告" }, innovation = "Improved", advancement = "ChinaAdvanced", hardTech = Array.Empty<string>(),
                    comment = "同意",
                });
                return new(c => c.PostAsJsonAsync($"/api/evaluations/{evaluation}/publish", new { statement = "评价结论" }));
            }
            case "amend-contract":
            {
                var number = await ContractAsync();
                return new(c => c.PostAsJsonAsync($"/api/contracts/{number}/amendments", new { field = "note", value = "独占许可六年", reason = "笔误更正" }));
            }
            case "rate-broker":
            {
                var deal = await DealAsync("Introduced");
                await OkAsync("demo-broker", $"/api/deals/{deal}/close", new { reason = "需求方暂缓" });
                return new(c => c.PostAsJsonAsync($"/api/deals/{deal}/rating", new { stars = 4, comment = "沟通顺畅" }));
            }
            case "contest-entry":
            {
                var deal = await DealAsync("Introduced");
                await OkAsync("demo-broker", $"/api/deals/{deal}/close", new { reason = "需求方暂缓" });
                return new(c => c.PostAsJsonAsync($"/api/deals/{deal}/contests", new { reason = "终止原因不在我方" }));
            }
            case "decide-contest":
            {
                var deal = await DealAsync("Introduced");
                await OkAsync("demo-broker", $"/api/deals/{deal}/close", new { reason = "需求方暂缓" });
                await OkAsync("demo-university", $"/api/deals/{deal}/contests", new { reason = "终止原因不在我方" });
                return new(c => c.PostAsJsonAsync($"/api/deals/{deal}/contests/achievement/decision", new { upheld = true, note = "经核实属实" }));
            }
            case "read-center-credit":
                return new(c => c.GetAsync("/api/credit-by-center"), Mutates: false);
            case "read-contest-queue":
                return new(c => c.GetAsync("/api/credit-contests"), Mutates: false);
            case "read-broker-credit":
                return new(c => c.GetAsync("/api/brokers/acct-demo-broker/credit"), Mutates: false);
            case "create-organization":
                return new(c => c.PostAsJsonAsync("/api/organizations", new { name = "安全测试企业", kind = "Enterprise", province = "江苏" }));
            case "create-account":
                return new(c => c.PostAsJsonAsync("/api/organizations/org-demo-university/accounts", NewAccount("Member")));
            case "appoint-broker":
                return new(c => c.PostAsJsonAsync("/api/organizations/org-center-yangtze-delta/accounts", NewAccount("Broker")));
            case "reindex":
                return new(c => c.PostAsync("/api/admin/reindex", null));
            case "read-center-queue":
                return new(c => c.GetAsync("/api/regions/yangtze-delta/leads"), Mutates: false);
            case "connect-hub":
                return new(c => c.PostAsync("/hubs/network/negotiate?negotiateVersion=1", null), Mutates: false);
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "Not in the matrix.");
        }
    }

    static readonly object Contract = new
    {
        type = "License", contractAmount = 300m, techTransactionAmount = 280m, seller = "演示大学", buyer = "演示科技有限公司",
        signingDate = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"), note = "独占许可五年",
    };

    static object NewAccount(string role) => new
    {
        account = "sec-" + Guid.NewGuid().ToString("N")[..12], displayName = "安全测试账号", role, password = "Security#Test-2026",
    };

    static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, object body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    async Task<(string Id, string ETag)> DraftAchievementAsync()
    {
        var created = await (await Demo("demo-university")).PostAsJsonAsync("/api/achievements", Samples.Achievement());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return ((await created.BodyAsync()).GetProperty("id").GetString()!, created.Headers.ETag!.ToString());
    }

    /// <summary>A fresh deal between the demo university and the demo enterprise, brought to <paramref name="stage"/> by those allowed.</summary>
    async Task<string> DealAsync(string stage)
    {
        var deal = await DealApiTests.MatchAsync(Demo);
        if (stage == "Matched") return deal;
        await OkAsync("demo-enterprise", $"/api/deals/{deal}/interest", new { });
        await OkAsync("demo-university", $"/api/deals/{deal}/interest", new { });
        if (stage == "Lead") return deal;
        await OkAsync("demo-broker", $"/api/deals/{deal}/claim", new { });
        if (stage == "Introduced") return deal;
        await OkAsync("demo-broker", $"/api/deals/{deal}/stage", new { stage = "Negotiating" });
        await OkAsync("demo-broker", $"/api/deals/{deal}/stage", new { stage = "ContractSigned" });
        return deal;
    }

    async Task<string> ContractAsync()
    {
        var deal = await DealAsync("ContractSigned");
        return (await OkAsync("demo-broker", $"/api/deals/{deal}/contract", Contract)).GetProperty("contractNumber").GetString()!;
    }

    async Task<JsonElement> OkAsync(string account, string path, object body)
    {
        var response = await (await Demo(account)).PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{account} POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    // Signing in hashes a password (deliberately slow): one token per account and host, reused by every cell.
    static readonly ConcurrentDictionary<string, string> Tokens = new();
    static readonly SemaphoreSlim AccountsGate = new(1, 1);

    Task<HttpClient> Demo(string account) => WithTokenAsync(account);

    async Task<HttpClient> ClientAsync(string role) => role switch
    {
        Anonymous => api.Anonymous(),
        UniversityMember => await MemberAsync("sec-university-member", "demo-university", "org-demo-university", "Member"),
        EnterpriseMember => await MemberAsync("sec-enterprise-member", "demo-enterprise", "org-demo-enterprise", "Member"),
        CenterAdmin => await MemberAsync("sec-center-admin", "demo-national", "org-center-yangtze-delta", "CenterAdmin"),
        OrganizationAdmin => await WithTokenAsync("demo-university"),
        Broker => await WithTokenAsync("demo-broker"),
        NationalAdmin => await WithTokenAsync("demo-national"),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>An account made through the API by whoever may make it (the first time on this host), signed in.</summary>
    async Task<HttpClient> MemberAsync(string account, string creator, string organization, string role)
    {
        await AccountsGate.WaitAsync();
        try
        {
            if (!Tokens.ContainsKey(Key(account)))
            {
                var created = await (await WithTokenAsync(creator)).PostAsJsonAsync($"/api/organizations/{organization}/accounts",
                    new { account, displayName = "矩阵测试 " + role, role, password = DemoSeeder.Password });
                Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            AccountsGate.Release();
        }
        return await WithTokenAsync(account);
    }

    async Task<HttpClient> WithTokenAsync(string account)
    {
        if (!Tokens.TryGetValue(Key(account), out var token))
        {
            var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { account, password = DemoSeeder.Password });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            token = (await response.BodyAsync()).GetProperty("token").GetString()!;
            Tokens[Key(account)] = token;
        }
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    string Key(string account) => api.Database.ConnectionString + "|" + account;
}

/// <summary>Accounts: hashed passwords, backoff after repeated failures, tokens that expire.</summary>
[Collection(ApiCollection.Name)]
public sealed class AccountSecurityTests(ApiFixture api)
{
    const string Password = "Lockout#Test-2026";

    async Task<string> NewAccountAsync()
    {
        var account = "sec-lock-" + Guid.NewGuid().ToString("N")[..10];
        var admin = await api.SignedInAsync("demo-university");
        var created = await admin.PostAsJsonAsync("/api/organizations/org-demo-university/accounts",
            new { account, displayName = "锁定测试", role = "Member", password = Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return account;
    }

    Task<HttpResponseMessage> LoginAsync(string account, string password) =>
        api.Anonymous().PostAsJsonAsync("/api/auth/login", new { account, password });

    [Fact]
    public async Task Two_failures_are_forgiven_by_a_success_and_the_third_in_a_row_makes_that_source_wait_even_for_the_right_password()
    {
        var account = await NewAccountAsync();
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(account, "wrong-" + i)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(account, Password)).StatusCode); // forgets the source

        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(account, "wrong-" + i)).StatusCode);
        var third = await LoginAsync(account, "wrong-2");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode); // wrong, and now wait
        Assert.NotNull(third.Headers.RetryAfter?.Delta);
        var waiting = await LoginAsync(account, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.StatusCode);
        Assert.NotNull(waiting.Headers.RetryAfter?.Delta);
        Assert.Equal("sign-in-throttled", (await waiting.BodyAsync()).GetProperty("code").GetString());
        Assert.False(waiting.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Only_a_salted_hash_of_the_password_is_stored()
    {
        var account = await NewAccountAsync();
        var stored = await api.Database.CountAsync(
            $"SELECT count(*) FROM orleansstorage WHERE graintypestring = 'account' AND position('{Password}' in encode(payloadbinary, 'escape')) > 0");
        Assert.Equal(0, stored);
        var everywhere = await api.Database.CountAsync(
            $"SELECT count(*) FROM orleansstorage WHERE position('{Password}' in encode(payloadbinary, 'escape')) > 0");
        Assert.Equal(0, everywhere);
        // ASP.NET Core Identity's v3 format (0x01 …, PBKDF2 with a per-password salt) in the account's state.
        var hashed = await api.Database.CountAsync(
            "SELECT count(*) FROM orleansstorage WHERE graintypestring = 'account' AND encode(payloadbinary, 'escape') LIKE '%\"passwordHash\":\"AQAAAA%'");
        Assert.True(hashed > 0);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(account, Password)).StatusCode);
    }

    [Fact]
    public async Task A_token_past_its_lifetime_is_refused_by_the_api_and_the_hub()
    {
        var issuer = api.Host.Services.GetRequiredService<TokenIssuer>();
        var actor = new TechTransfer.Accounts.Actor("acct-demo-national", "org-torch", TechTransfer.Vocabulary.OrganizationKind.National, TechTransfer.Vocabulary.Role.NationalAdmin);
        // The server's own issuer and key, with a clock two lifetimes back: the token expired one lifetime ago.
        var past = new PastClock(TimeSpan.FromTicks(issuer.Lifetime.Ticks * 2));
        var expired = new TokenIssuer(issuer.Key, past, issuer.Lifetime).Issue(actor, "过期", tokenVersion: 0);
        var fresh = issuer.Issue(actor, "有效", tokenVersion: 0);

        foreach (var (token, status) in new[] { (expired, HttpStatusCode.Unauthorized), (fresh, HttpStatusCode.OK) })
        {
            var client = api.Anonymous();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(status, (await client.GetAsync("/api/auth/me")).StatusCode);
            var negotiate = await api.Anonymous().PostAsync($"/hubs/network/negotiate?negotiateVersion=1&access_token={token}", null);
            Assert.Equal(status, negotiate.StatusCode);
        }
    }

    [Fact]
    public async Task A_token_lives_as_long_as_configured_and_the_login_answer_says_until_when()
    {
        var issuer = api.Host.Services.GetRequiredService<TokenIssuer>();
        Assert.Equal(TimeSpan.FromHours(8), issuer.Lifetime); // TechTransfer:Tokens:Lifetime's default
        var login = await (await LoginAsync("demo-national", DemoSeeder.Password)).BodyAsync();
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(login.GetProperty("token").GetString());
        Assert.Equal(issuer.Lifetime, token.ValidTo - token.ValidFrom);
        Assert.InRange(login.GetProperty("expiresAt").GetDateTimeOffset() - token.ValidTo, TimeSpan.FromSeconds(-2), TimeSpan.FromSeconds(2));
    }

    sealed class PastClock(TimeSpan behind) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() - behind;
    }
}
