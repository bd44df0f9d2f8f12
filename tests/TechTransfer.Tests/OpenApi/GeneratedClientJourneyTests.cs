using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using TechTransfer.Network;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Tests.OpenApi.Generated;
using JsonElement = System.Text.Json.JsonElement;

namespace TechTransfer.Tests.OpenApi;

/// <summary>
/// An integrator's whole journey with nothing but the client NSwag generates from the served document
/// (TechTransferClient.g.cs, checked against the live document by <see cref="OpenApiDocumentTests"/>) and the hub as
/// /asyncapi.json describes it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class GeneratedClientJourneyTests(ApiFixture api)
{
    async Task<TechTransferClient> SignInAsync(string account)
    {
        var http = api.Anonymous();
        var client = new TechTransferClient(http);
        var login = await client.ApiAuthLoginAsync(new LoginRequest { Account = account, Password = Demo.DemoSeeder.Password });
        Assert.False(login.Me.MustChangePassword);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.Token);
        return client;
    }

    [Fact]
    public async Task An_integrator_imports_publishes_reads_matches_and_expresses_interest_with_the_generated_client()
    {
        var word = Samples.UniqueWord();
        var university = await SignInAsync("demo-university");
        var enterprise = await SignInAsync("demo-enterprise");

        // The enterprise listens on the hub as the AsyncAPI document says: Resume, then events (raw JSON, to compare with the document).
        var asyncApi = JsonDocument.Parse(await api.Anonymous().GetStringAsync(HubDocument.Path)).RootElement;
        var matchFoundMembers = asyncApi.GetProperty("components").GetProperty("messages").GetProperty("MatchFound")
            .GetProperty("payload").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        var heard = new ConcurrentQueue<JsonElement>();
        var enterpriseToken = (await new TechTransferClient(api.Anonymous())
            .ApiAuthLoginAsync(new LoginRequest { Account = "demo-enterprise", Password = Demo.DemoSeeder.Password })).Token;
        await using var hub = api.Host.HubConnection(enterpriseToken);
        hub.On<JsonElement>(nameof(INetworkClient.MatchFound), m => heard.Enqueue(m));
        await hub.StartAsync();
        await hub.InvokeAsync<Dictionary<string, long>>(nameof(NetworkHub.Listen));

        // 1. A university system imports its catalogue (JSONL) and publishes it in the same call.
        var catalogue = string.Join('\n', Enumerable.Range(1, 2).Select(i =>
            Samples.Achievement($"锂电池极片缺陷在线检测 {word} 第{i}项").With("externalId", $"{word}-{i}")
                .With("keywords", new System.Text.Json.Nodes.JsonArray("锂电池", "缺陷检测", word)).ToJsonString()));
        var report = await university.ApiImportsAsync(catalogue, publish: true);
        Assert.Equal(2, report.Created);
        Assert.Empty(report.Errors);

        // 2. An enterprise posts a demand and publishes it; the publish says at once what fits.
        var created = await enterprise.ApiDemandsPostAsync(new DemandInput
        {
            Title = $"寻求动力电池极片在线检测技术 {word}",
            Description = "我公司需要在涂布产线上实时检测锂电池极片缺陷，要求漏检率低于千分之一。",
            Keywords = ["极片", "缺陷检测", word],
            TechField = "NewEnergy",
            MinTrl = 5,
            BudgetMin = 100,
            BudgetMax = 500,
            Province = "广东",
            Deadline = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd"),
            Contact = new ContactInput { Name = "李工", Phone = "020-38880000" },
        });
        var published = await enterprise.ApiDemandsPublishAsync(created.Id);
        Assert.Equal("Published", published.Status);
        Assert.True(published.Matching.Found >= 1, published.Matching.En);

        // 3. Both read the matches, typed, with the publishers' names.
        var matches = await enterprise.ApiDemandsMatchesAsync(created.Id);
        var match = Assert.Single(matches, m => m.AchievementTitle.Contains(word) && m.AchievementTitle.EndsWith("第1项"));
        Assert.Equal(created.Id, match.DemandId);
        Assert.StartsWith("演示大学", match.Names[match.AchievementOrganizationId!]);
        var fromTheOtherSide = await university.ApiAchievementsMatchesAsync(match.AchievementId);
        Assert.Contains(fromTheOtherSide, m => m.Id == match.Id);
        var achievement = await university.ApiAchievementsGetAsync(id: match.AchievementId);
        Assert.Equal("Published", achievement.Status);
        Assert.True(achievement.Names.ContainsKey(achievement.OwnerOrganizationId));

        // 4. The enterprise expresses interest; the deal says so, with names instead of ids.
        var deal = await enterprise.ApiDealsInterestPostAsync(match.Id, new InterestRequest { Note = "希望尽快洽谈" });
        Assert.True(deal.DemandInterest);
        var read = await enterprise.ApiDealsGetAsync(match.Id);
        Assert.True(read.DemandInterest);
        Assert.All(new[] { read.Facts.AchievementOrganizationId, read.Facts.DemandOrganizationId }, id => Assert.True(read.Names.ContainsKey(id)));

        // 5. 我的对接 lists it (a typed page with names), and the notification centre holds the match with its stored time.
        var mine = await enterprise.ApiDealsGetAsync(page: 1, size: 50);
        var row = Assert.Single(mine.Items, d => d.Id == read.Id);
        Assert.Equal(match.AchievementTitle, row.AchievementTitle);
        Assert.StartsWith("演示大学", mine.Names[row.AchievementOrganizationId]);
        await Eventually.TrueAsync(async () => (await enterprise.ApiNotificationsAsync(size: 50)).Items
            .Any(n => n.Type == "MatchFound" && n.AdditionalProperties.TryGetValue("matchId", out var id) && id?.ToString() == match.Id), "MatchFound in the notification centre");
        var centre = await enterprise.ApiNotificationsAsync(size: 50);
        var found = centre.Items.First(n => n.Type == "MatchFound" && n.AdditionalProperties["matchId"]?.ToString() == match.Id);
        Assert.True(found.NotificationId > 0 && found.StoredAt > DateTimeOffset.UtcNow.AddMinutes(-10) && !found.Read);
        Assert.True(centre.Unread >= 1);

        // A refusal arrives as the typed problem: code and the Chinese message, here for a listing that is not there.
        var refused = await Assert.ThrowsAsync<ApiException<Problem>>(() => university.ApiAchievementsGetAsync(id: "ach-" + new string('0', 32)));
        Assert.Equal(404, refused.StatusCode);
        Assert.Equal("not-found", refused.Result.Code);
        Assert.False(string.IsNullOrEmpty(refused.Result.TitleZh));
        var invalid = await Assert.ThrowsAsync<ApiException<Problem>>(() => enterprise.ApiDemandsPostAsync(new DemandInput { Title = "" }));
        Assert.Equal("validation", invalid.Result.Code);
        Assert.Contains(invalid.Result.Errors, e => e.Field == "title" && e.Rule == "required" && e.Zh.Length > 0);

        // The hub delivered the match as the AsyncAPI document describes it.
        await Eventually.TrueAsync(() => heard.Any(m => m.GetProperty("matchId").GetString() == match.Id), "MatchFound on the hub");
        var pushed = heard.First(m => m.GetProperty("matchId").GetString() == match.Id);
        Assert.All(pushed.EnumerateObject().Select(p => p.Name), member => Assert.Contains(member, matchFoundMembers));
    }
}
