using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Idempotency;

[Collection(ApiCollection.Name)]
public sealed class IdempotencyTests(ApiFixture api)
{
    static HttpRequestMessage Post(string path, JsonObject? body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    static JsonObject Titled(string title) => Samples.Achievement(title);

    Task<long> CountTitledAsync(string title) =>
        api.Database.CountAsync($"SELECT count(*) FROM tt_listing WHERE title = '{title.Replace("'", "''")}'");

    static string NewKey() => Guid.NewGuid().ToString();

    static string NewTitle() => "幂等测试成果 " + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_retried_create_returns_the_first_answer_and_creates_nothing_new()
    {
        var client = await api.SignedInAsync("demo-university");
        var (key, title) = (NewKey(), NewTitle());

        var first = await client.SendAsync(Post("/api/achievements", Titled(title), key));
        var retry = await client.SendAsync(Post("/api/achievements", Titled(title), key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal((await first.BodyAsync()).GetProperty("id").GetString(), (await retry.BodyAsync()).GetProperty("id").GetString());
        Assert.Equal(1, await CountTitledAsync(title));
    }

    [Fact]
    public async Task Without_a_key_every_post_is_a_new_create()
    {
        var client = await api.SignedInAsync("demo-university");
        var title = NewTitle();
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post("/api/achievements", Titled(title), null))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post("/api/achievements", Titled(title), null))).StatusCode);
        Assert.Equal(2, await CountTitledAsync(title));
    }

    [Fact]
    public async Task The_same_key_on_a_different_request_is_refused_with_422_and_changes_nothing()
    {
        var client = await api.SignedInAsync("demo-university");
        var (key, title, other) = (NewKey(), NewTitle(), NewTitle());
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Post("/api/achievements", Titled(title), key))).StatusCode);

        var reused = await client.SendAsync(Post("/api/achievements", Titled(other), key));

        Assert.Equal((HttpStatusCode)422, reused.StatusCode);
        var problem = await reused.BodyAsync();
        Assert.Equal("idempotency-key-reused", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("titleZh").GetString()));
        Assert.Equal(0, await CountTitledAsync(other));
    }

    [Fact]
    public async Task Keys_belong_to_their_account()
    {
        var university = await api.SignedInAsync("demo-university");
        var enterprise = await api.SignedInAsync("demo-enterprise");
        var (key, title) = (NewKey(), NewTitle());
        var body = Samples.Demand(title);

        Assert.Equal(HttpStatusCode.Created, (await university.SendAsync(Post("/api/achievements", Titled(title), key))).StatusCode);
        var other = await enterprise.SendAsync(Post("/api/demands", body, key));

        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.False(other.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await CountTitledAsync(title));
    }

    [Theory]
    [InlineData("")]
    [InlineData("with space")]
    public async Task A_malformed_key_is_a_400_problem_and_creates_nothing(string key)
    {
        var client = await api.SignedInAsync("demo-university");
        var title = NewTitle();
        var response = await client.SendAsync(Post("/api/achievements", Titled(title), key));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("idempotency-key-invalid", (await response.BodyAsync()).GetProperty("code").GetString());
        Assert.Equal(0, await CountTitledAsync(title));
    }

    [Fact]
    public async Task An_overlong_key_is_refused()
    {
        var client = await api.SignedInAsync("demo-university");
        var response = await client.SendAsync(Post("/api/achievements", Titled(NewTitle()), new string('k', 201)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_rejected_request_frees_its_key_for_the_corrected_retry()
    {
        var client = await api.SignedInAsync("demo-university");
        var (key, title) = (NewKey(), NewTitle());
        var invalid = Titled(title);
        invalid["title"] = "";

        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(Post("/api/achievements", invalid, key))).StatusCode);
        var corrected = await client.SendAsync(Post("/api/achievements", Titled(title), key));

        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal(1, await CountTitledAsync(title));
    }

    [Fact]
    public async Task A_refused_request_keeps_no_answer()
    {
        var key = NewKey();
        var refused = await api.Anonymous().SendAsync(Post("/api/auth/login", new JsonObject { ["account"] = "demo-university", ["password"] = "wrong" }, key));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(0, await api.Database.CountAsync($"SELECT count(*) FROM tt_idempotency WHERE key = '{key}'"));
        // …and the same key may carry the corrected request
        var accepted = await api.Anonymous().SendAsync(Post("/api/auth/login", new JsonObject { ["account"] = "demo-university", ["password"] = Demo.DemoSeeder.Password }, key));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task A_retry_after_the_first_answer_was_lost_still_creates_nothing_new()
    {
        var client = await api.SignedInAsync("demo-university");
        var (key, title) = (NewKey(), NewTitle());
        var first = await client.SendAsync(Post("/api/achievements", Titled(title), key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        // As if the host died after the grain wrote but before the answer was kept.
        await api.Database.CountAsync($"WITH gone AS (DELETE FROM tt_idempotency WHERE key = '{key}' RETURNING 1) SELECT count(*) FROM gone");

        var retry = await client.SendAsync(Post("/api/achievements", Titled(title), key));

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(1, await CountTitledAsync(title));
    }

    [Fact]
    public async Task Concurrent_duplicates_create_one_listing_and_the_others_wait_or_replay()
    {
        var client = await api.SignedInAsync("demo-university");
        var (key, title) = (NewKey(), NewTitle());

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.SendAsync(Post("/api/achievements", Titled(title), key))));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Single(responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Headers.Location).Distinct());
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("idempotency-key-in-flight", (await conflict.BodyAsync()).GetProperty("code").GetString());
            Assert.NotNull(conflict.Headers.RetryAfter);
        }
        Assert.Equal(1, await CountTitledAsync(title));
    }

    [Fact]
    public async Task A_retried_publish_replays_its_answer()
    {
        var client = await api.SignedInAsync("demo-university");
        var created = await client.SendAsync(Post("/api/achievements", Titled(NewTitle()), NewKey()));
        var id = (await created.BodyAsync()).GetProperty("id").GetString();
        var key = NewKey();

        var first = await client.SendAsync(Post($"/api/achievements/{id}/publish", null, key));
        var retry = await client.SendAsync(Post($"/api/achievements/{id}/publish", null, key));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal("\"2\"", retry.Headers.ETag!.Tag);
        var read = await client.GetAsync($"/api/achievements/{id}");
        Assert.Equal("\"2\"", read.Headers.ETag!.Tag); // published once: one version step
    }
}
