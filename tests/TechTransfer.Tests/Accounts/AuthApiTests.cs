using System.Net;
using System.Net.Http.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Accounts;

[Collection(ApiCollection.Name)]
public sealed class AuthApiTests(ApiFixture api)
{
    [Fact]
    public async Task Login_returns_a_token_and_sets_an_http_only_cookie()
    {
        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { account = "demo-national", password = "TechTransfer#2026" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.False(string.IsNullOrEmpty(body.GetProperty("token").GetString()));
        Assert.Equal("NationalAdmin", body.GetProperty("me").GetProperty("role").GetString());
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("tt_token=", cookie);
        Assert.Contains("httponly", cookie.ToLowerInvariant());
    }

    [Fact]
    public async Task A_wrong_password_is_401_and_repeated_failures_make_the_source_wait()
    {
        var client = api.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/auth/login", new { account = "demo-broker-northeast", password = "wrong-password" });
            Assert.True(wrong.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests);
        }
        var waiting = await client.PostAsJsonAsync("/api/auth/login", new { account = "demo-broker-northeast", password = "TechTransfer#2026" });
        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.StatusCode);
        Assert.Equal("sign-in-throttled", (await waiting.BodyAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unknown_account_and_a_forged_token_are_both_refused()
    {
        var unknown = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { account = "nobody", password = "whatever-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);

        var forged = api.Anonymous();
        forged.DefaultRequestHeaders.Authorization = new("Bearer",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhY2N0LWRlbW8tbmF0aW9uYWwiLCJvcmciOiJvcmctdG9yY2giLCJvcmdLaW5kIjoiTmF0aW9uYWwiLCJyb2xlIjoiTmF0aW9uYWxBZG1pbiJ9.c2lnbmF0dXJl");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/auth/me")).StatusCode);
    }
}
