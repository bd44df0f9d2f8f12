using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Security;

/// <summary>Signing out and changing the password end every earlier session (issue 17, item 6).</summary>
[Collection(ApiCollection.Name)]
public sealed class TokenRevocationTests(ApiFixture api)
{
    async Task<(HttpStatusCode Bearer, HttpStatusCode Cookie, HttpStatusCode Hub)> UseAsync(string token)
    {
        using var client = Browsers.From(api);
        var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var cookie = Browsers.WithCookie(HttpMethod.Get, "/api/auth/me", token, null);
        var hub = new HttpRequestMessage(HttpMethod.Post, $"/hubs/network/negotiate?negotiateVersion=1&access_token={token}");
        return ((await client.SendAsync(bearer)).StatusCode, (await client.SendAsync(cookie)).StatusCode, (await client.SendAsync(hub)).StatusCode);
    }

    static HttpClient Bearer(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task After_sign_out_the_old_cookie_and_bearer_token_get_401_from_the_api_and_the_hub_and_an_open_hub_connection_is_no_longer_served()
    {
        var account = await Browsers.NewAccountAsync(api, "signout");
        var token = await Browsers.TokenAsync(api, account);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), await UseAsync(token));
        await using var hub = api.Host.HubConnection(token);
        await hub.StartAsync();
        await hub.InvokeAsync<Dictionary<string, long>>("Listen");

        var logout = await Bearer(api.Anonymous(), token).PostAsync("/api/auth/logout", null);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), await UseAsync(token));
        await Assert.ThrowsAnyAsync<Exception>(() => hub.InvokeAsync<Dictionary<string, long>>("Listen"));

        // Signing in again gives a session that works.
        var fresh = await Browsers.TokenAsync(api, account);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), await UseAsync(fresh));
    }

    [Fact]
    public async Task After_a_password_change_every_earlier_token_gets_401_and_only_the_new_password_signs_in()
    {
        var account = await Browsers.NewAccountAsync(api, "passwd");
        var token = await Browsers.TokenAsync(api, account);
        var other = await Browsers.TokenAsync(api, account); // another device
        const string next = "Changed#Pass-2026";

        var wrong = await Bearer(api.Anonymous(), token).PostAsJsonAsync("/api/auth/password",
            new { currentPassword = "not-the-password", newPassword = next });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), await UseAsync(token));

        var changed = await Bearer(api.Anonymous(), token).PostAsJsonAsync("/api/auth/password",
            new { currentPassword = Browsers.Password, newPassword = next });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var renewed = (await changed.BodyAsync()).GetProperty("token").GetString()!;

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), await UseAsync(token));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), await UseAsync(other));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), await UseAsync(renewed)); // the changer stays signed in

        var old = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { account, password = Browsers.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await Browsers.TokenAsync(api, account, next);
    }
}

/// <summary>Failed sign-ins slow down their source, not the account (issue 17, item 7).</summary>
[Collection(ApiCollection.Name)]
public sealed class SignInThrottleTests(ApiFixture api)
{
    static Task<HttpResponseMessage> LoginAsync(HttpClient client, string account, string password) =>
        client.PostAsJsonAsync("/api/auth/login", new { account, password });

    [Fact]
    public async Task Ten_wrong_passwords_from_one_source_get_it_429_with_retry_after_and_do_not_stop_the_right_password_from_another()
    {
        var account = await Browsers.NewAccountAsync(api, "throttle");
        using var attacker = Browsers.From(api, "127.0.0.2");
        using var owner = Browsers.From(api, "127.0.0.3");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++) statuses.Add((await LoginAsync(attacker, account, "wrong-" + i)).StatusCode);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        // The attacking source now waits, even with the right password …
        var throttled = await LoginAsync(attacker, account, Browsers.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {throttled.Headers.RetryAfter}");
        Assert.Equal("sign-in-throttled", (await throttled.BodyAsync()).GetProperty("code").GetString());
        Assert.False(throttled.Headers.Contains("Set-Cookie"));

        // … and the owner, from elsewhere, signs in at once.
        var signedIn = await LoginAsync(owner, account, Browsers.Password);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }
}
