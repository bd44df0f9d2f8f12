using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Evaluations;

/// <summary>
/// 科技成果评价 by invited reviewers through the real host and PostgreSQL: who may start, invite, review and publish;
/// signed reviews that never change and stay independent until published; the summary's medians; who sees what when.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class EvaluationApiTests(ApiFixture api)
{
    static object Review(int trl, string innovation, string advancement, string[] hardTech) => new
    {
        trl, trlEvidence = new[] { "中试线连续运行 500 小时", "第三方检测报告" }, innovation, advancement, hardTech,
        comment = "工艺路线清晰，放大数据可信。",
    };

    async Task<HttpResponseMessage> SendAsync(string? account, HttpMethod method, string path, object? body = null)
    {
        var client = account is null ? api.Anonymous() : await api.SignedInAsync(account);
        return await client.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) });
    }

    async Task<JsonElement> OkAsync(string? account, HttpMethod method, string path, object? body = null)
    {
        var response = await SendAsync(account, method, path, body);
        Assert.True(response.IsSuccessStatusCode, $"{account} {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    async Task<(HttpStatusCode Status, string? Code, string? Rule)> ProblemAsync(string? account, HttpMethod method, string path, object? body = null)
    {
        var response = await SendAsync(account, method, path, body);
        var problem = await response.BodyAsync();
        var rule = problem.TryGetProperty("errors", out var errors) ? errors[0].GetProperty("rule").GetString() : null;
        return (response.StatusCode, problem.GetProperty("code").GetString(), rule);
    }

    [Fact]
    public async Task Invited_reviewers_sign_independent_reviews_the_center_publishes_their_medians_and_then_nothing_changes()
    {
        var achievement = await (await api.SignedInAsync("demo-university")).CreatePublishedAsync("/api/achievements",
            Samples.Achievement("高通量陶瓷膜分离提纯工艺").With("province", "江苏"));
        var experts = new List<FreshOrganization>();
        for (var i = 0; i < 4; i++) experts.Add(await FreshOrganization.CreateAsync(api.SignedInAsync, "University"));
        string R1 = experts[0].Account, R2 = experts[1].Account, R3 = experts[2].Account, Outsider = experts[3].Account;
        var start = $"/api/achievements/{achievement}/evaluations";

        // Only the center of the achievement's region (or national) starts one, with real people outside the owner.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync("demo-university", HttpMethod.Post, start, new { reviewers = new[] { R1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync("demo-broker-greater-bay", HttpMethod.Post, start, new { reviewers = new[] { R1 } })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(null, HttpMethod.Post, start, new { reviewers = new[] { R1 } })).StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "validation", "conflict-of-interest"),
            await ProblemAsync("demo-broker", HttpMethod.Post, start, new { reviewers = new[] { R1, "demo-university" } }));
        Assert.Equal((HttpStatusCode.BadRequest, "validation", "unknown-account"),
            await ProblemAsync("demo-broker", HttpMethod.Post, start, new { reviewers = new[] { "no-such-expert-0042" } }));
        Assert.Equal((HttpStatusCode.BadRequest, "validation", "required"), await ProblemAsync("demo-broker", HttpMethod.Post, start, new { reviewers = Array.Empty<string>() }));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync("demo-broker", HttpMethod.Post, "/api/achievements/ach-0/evaluations", new { reviewers = new[] { R1 } })).StatusCode);

        var started = await SendAsync("demo-broker", HttpMethod.Post, start, new { reviewers = new[] { R1, R2 } });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var evaluation = await started.BodyAsync();
        var id = evaluation.GetProperty("id").GetString()!;
        var path = $"/api/evaluations/{id}";
        Assert.Equal(path, started.Headers.Location?.OriginalString);
        Assert.Equal(("Open", "yangtze-delta", 2), (evaluation.GetProperty("status").GetString(), evaluation.GetProperty("region").GetString(),
            evaluation.GetProperty("reviewers").GetArrayLength()));

        // Before publication: the invited, the owner and the center see it; nobody else does.
        var mine = await OkAsync(R1, HttpMethod.Get, path);
        Assert.False(string.IsNullOrEmpty(mine.GetProperty("names").GetProperty(experts[0].AccountId).GetString())); // names beside the ids
        Assert.True(mine.GetProperty("mayReview").GetBoolean());
        Assert.False(mine.GetProperty("mayManage").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("demo-university", HttpMethod.Get, path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(Outsider, HttpMethod.Get, path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(null, HttpMethod.Get, path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync("demo-broker-greater-bay", HttpMethod.Get, path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(R1, HttpMethod.Get, "/api/evaluations/evl-1")).StatusCode);

        // A review: validated, signed once, final. An uninvited person cannot review.
        Assert.Equal((HttpStatusCode.BadRequest, "validation", "range"),
            await ProblemAsync(R1, HttpMethod.Post, $"{path}/reviews", Review(10, "ChinaFirst", "ChinaLeading", [])));
        var signed = await OkAsync(R1, HttpMethod.Post, $"{path}/reviews", Review(6, "ChinaFirst", "ChinaLeading", ["IndependentIp", "ReadyForIndustry"]));
        var review = signed.GetProperty("reviews").EnumerateArray().Single();
        Assert.Matches("^[0-9a-f]{64}$", review.GetProperty("digest").GetString());
        Assert.Equal(experts[0].AccountId, review.GetProperty("reviewer").GetString());
        Assert.False(signed.GetProperty("mayReview").GetBoolean());
        Assert.Equal((HttpStatusCode.Conflict, "already-reviewed", null),
            await ProblemAsync(R1, HttpMethod.Post, $"{path}/reviews", Review(7, "WorldFirst", "WorldLeading", [])));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(Outsider, HttpMethod.Post, $"{path}/reviews", Review(5, "Improved", "ChinaAdvanced", []))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync("demo-university", HttpMethod.Post, $"{path}/reviews", Review(9, "WorldFirst", "WorldLeading", []))).StatusCode);

        // Independent: R2 does not see R1's review, the owner sees none, the center sees it.
        Assert.Equal(0, (await OkAsync(R2, HttpMethod.Get, path)).GetProperty("reviews").GetArrayLength());
        Assert.Equal(0, (await OkAsync("demo-university", HttpMethod.Get, path)).GetProperty("reviews").GetArrayLength());
        Assert.Equal(1, (await OkAsync("demo-center", HttpMethod.Get, path)).GetProperty("reviews").GetArrayLength());
        await OkAsync(R2, HttpMethod.Post, $"{path}/reviews", Review(5, "Improved", "ChinaAdvanced", ["IndependentIp"]));

        // One more reviewer, by the center only; R3 is told and finds it among their invitations.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(R1, HttpMethod.Post, $"{path}/reviewers", new { account = R3 })).StatusCode);
        Assert.Equal(3, (await OkAsync("demo-broker", HttpMethod.Post, $"{path}/reviewers", new { account = R3 })).GetProperty("reviewers").GetArrayLength());
        var invitations = await OkAsync(R3, HttpMethod.Get, "/api/evaluations/invitations");
        var invitation = invitations.GetProperty("items").EnumerateArray().Single();
        Assert.Equal((id, false), (invitation.GetProperty("id").GetString(), invitation.GetProperty("reviewed").GetBoolean()));
        Assert.StartsWith("长三角", invitations.GetProperty("names").GetProperty("yangtze-delta").GetString());
        await Eventually.TrueAsync(async () => (await OkAsync(R3, HttpMethod.Get, "/api/notifications")).GetProperty("items").EnumerateArray()
            .Any(n => n.GetProperty("type").GetString() == "EvaluationNews" && n.GetProperty("evaluationId").GetString() == id
                && n.GetProperty("news").GetString() == "Invited"), "R3 is told", seconds: 10);

        // Published by the center: the cautious medians of the two reviews, the center's statement.
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(R1, HttpMethod.Post, $"{path}/publish", new { statement = "同意" })).StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "validation", "required"), await ProblemAsync("demo-broker", HttpMethod.Post, $"{path}/publish", new { statement = " " }));
        var published = await OkAsync("demo-broker", HttpMethod.Post, $"{path}/publish", new { statement = "该成果处于中试阶段，具备自主知识产权。" });
        var summary = published.GetProperty("summary");
        Assert.Equal((5, "Improved", "ChinaAdvanced", 2), (summary.GetProperty("trl").GetInt32(), summary.GetProperty("innovation").GetString(),
            summary.GetProperty("advancement").GetString(), summary.GetProperty("reviews").GetInt32()));
        Assert.Equal(["IndependentIp", "ReadyForIndustry"], summary.GetProperty("hardTech").EnumerateArray().Select(h => h.GetString()!));
        Assert.Equal("Published", published.GetProperty("status").GetString());

        // Then nothing changes: no review (R3 was invited but too late), no second publication, no new reviewer.
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(R3, HttpMethod.Post, $"{path}/reviews", Review(4, "Improved", "ChinaGeneral", []))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync("demo-broker", HttpMethod.Post, $"{path}/publish", new { statement = "改" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync("demo-broker", HttpMethod.Post, $"{path}/reviewers", new { account = Outsider })).StatusCode);

        // Published: anyone reads it, with both signed reviews, from the achievement too.
        var open = await OkAsync(null, HttpMethod.Get, path);
        Assert.Equal(2, open.GetProperty("reviews").GetArrayLength());
        Assert.Equal(review.GetProperty("digest").GetString(), open.GetProperty("reviews")[0].GetProperty("digest").GetString());
        var list = await OkAsync(null, HttpMethod.Get, start);
        Assert.Equal(id, list.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetString());
        await Eventually.TrueAsync(async () => (await OkAsync("demo-university", HttpMethod.Get, "/api/notifications")).GetProperty("items").EnumerateArray()
            .Any(n => n.GetProperty("type").GetString() == "EvaluationNews" && n.GetProperty("evaluationId").GetString() == id
                && n.GetProperty("news").GetString() == "Published"), "the owner is told", seconds: 10);
    }
}
