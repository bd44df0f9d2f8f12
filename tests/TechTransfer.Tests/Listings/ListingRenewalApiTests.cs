using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Listings;

/// <summary>
/// POST /api/achievements/{id}/renew and /api/demands/{id}/renew through the real host, whose clock the test moves a
/// year ahead: only the owner organization renews (403 for another), once (409 already-renewed), only what is published
/// or expired (422 not-renewable); an expired listing is the owner's only, in its page and its list, marked Expired.
/// </summary>
public sealed class ListingRenewalApiTests
{
    [Fact]
    public async Task Only_the_owner_renews_once_and_an_expired_listing_is_seen_by_its_owner_alone()
    {
        await using var database = await TestDatabase.CreateAsync("renewal_api");
        var clock = new ShiftedClock();
        await using var host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, new Dictionary<string, string>
        {
            ["TechTransfer:Listings:ReminderHorizon"] = "00:00:01",
            ["TechTransfer:Listings:CheckPeriod"] = "00:00:01",
        }, clock);
        host.StartServer();
        await host.WaitUntilSeededAsync();
        var university = await host.SignedInAsync("demo-university");
        var enterprise = await host.SignedInAsync("demo-enterprise");
        var anonymous = host.CreateClient();

        var achievement = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{Samples.UniqueWord()} 续期成果"));
        var demand = await enterprise.CreatePublishedAsync("/api/demands", Samples.Demand());
        var view = await (await anonymous.GetAsync($"/api/achievements/{achievement}")).BodyAsync();
        Assert.Equal(view.GetProperty("publishedAt").GetDateTimeOffset().AddDays(365), view.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.False(view.GetProperty("renewed").GetBoolean());
        Assert.True((await (await anonymous.GetAsync($"/api/demands/{demand}")).BodyAsync()).TryGetProperty("expiresAt", out _));

        // Another organization: 403 for either kind, as for withdraw and close; nothing changes.
        await AssertProblemAsync(await enterprise.PostAsync($"/api/achievements/{achievement}/renew", null), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await university.PostAsync($"/api/demands/{demand}/renew", null), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/achievements/{achievement}/renew", null)).StatusCode);
        var draft = await university.PostAsJsonAsync("/api/achievements", Samples.Achievement($"{Samples.UniqueWord()} 草稿成果"));
        var draftId = (await draft.BodyAsync()).GetProperty("id").GetString();
        await AssertProblemAsync(await university.PostAsync($"/api/achievements/{draftId}/renew", null), (HttpStatusCode)422, "not-renewable");

        // A year and a day on: expired; the owner sees it (page and list), nobody else does.
        clock.Ahead = TimeSpan.FromDays(366);
        await Eventually.TrueAsync(async () => (await anonymous.GetAsync($"/api/achievements/{achievement}")).StatusCode == HttpStatusCode.NotFound,
            "the achievement left the market", seconds: 20);
        await Eventually.TrueAsync(async () => (await anonymous.GetAsync($"/api/demands/{demand}")).StatusCode == HttpStatusCode.NotFound,
            "the demand left the market", seconds: 20);
        Assert.Equal(HttpStatusCode.NotFound, (await enterprise.GetAsync($"/api/achievements/{achievement}")).StatusCode);
        var mine = await (await university.GetAsync($"/api/achievements/{achievement}")).BodyAsync();
        Assert.Equal(("Expired", false), (mine.GetProperty("status").GetString(), mine.GetProperty("renewed").GetBoolean()));
        Assert.Contains(achievement, await IdsAsync(university, "/api/achievements?owner=org-demo-university&status=Expired"));
        Assert.DoesNotContain(achievement, await IdsAsync(enterprise, "/api/achievements?owner=org-demo-university"));
        Assert.DoesNotContain(achievement, await IdsAsync(anonymous, "/api/achievements"));

        // Renewed: a new year from now and public again; a second renewal is refused with both languages.
        var renewed = await university.PostAsync($"/api/achievements/{achievement}/renew", null);
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var body = await renewed.BodyAsync();
        Assert.Equal(("Published", true), (body.GetProperty("status").GetString(), body.GetProperty("renewed").GetBoolean()));
        Assert.InRange(body.GetProperty("expiresAt").GetDateTimeOffset(), clock.GetUtcNow().AddDays(364.9), clock.GetUtcNow().AddDays(365));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/achievements/{achievement}")).StatusCode);
        await AssertProblemAsync(await university.PostAsync($"/api/achievements/{achievement}/renew", null), HttpStatusCode.Conflict, "already-renewed");
        // The demand's deadline (Samples: a year ahead) has passed a year and a day on: it cannot come back by renewal.
        await AssertProblemAsync(await enterprise.PostAsync($"/api/demands/{demand}/renew", null), (HttpStatusCode)422, "not-renewable");
    }

    static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.BodyAsync();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("titleZh").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
    }

    static async Task<string[]> IdsAsync(HttpClient client, string path) =>
        [.. (await (await client.GetAsync(path)).BodyAsync()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];
}
