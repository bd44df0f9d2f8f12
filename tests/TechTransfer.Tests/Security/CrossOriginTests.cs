using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Security;

/// <summary>
/// Cross-site requests (issue 17, item 3): a page on another port of the same host posts with the victim's cookie.
/// SameSite=Strict does not help there (same site, other origin), so the server checks Origin (or Referer) itself.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CrossOriginTests(ApiFixture api)
{
    // Another port on the same host: same site for the browser, another origin.
    string Evil => $"http://127.0.0.1:{(Browsers.BaseAddress(api).Port == 1 ? 2 : 1)}";

    [Fact]
    public async Task A_cookie_sent_from_another_origin_can_neither_import_nor_publish_and_nothing_is_written()
    {
        var account = await Browsers.NewAccountAsync(api, "csrf");
        var token = await Browsers.TokenAsync(api, account);
        using var browser = Browsers.From(api);
        var own = Browsers.OwnOrigin(api);

        // The portal itself: a same-origin JSON POST with the cookie creates a draft.
        var created = await browser.SendAsync(Browsers.WithCookie(HttpMethod.Post, "/api/achievements", token, own,
            JsonContent.Create(Samples.Achievement())));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = (await created.BodyAsync()).GetProperty("id").GetString()!;

        var before = await DatabaseState.SettledAsync(api.Database.ConnectionString);
        // The auto-submitting text/plain form of the review, and a body-less POST, from the other origin.
        var line = Samples.Achievement("跨站导入的成果").With("externalId", "csrf-" + Guid.NewGuid().ToString("N")[..8]).ToJsonString();
        var attacks = new (string What, HttpRequestMessage Request)[]
        {
            ("text/plain import", Browsers.WithCookie(HttpMethod.Post, "/api/imports?publish=true", token, Evil,
                new StringContent(line, Encoding.UTF8, "text/plain"))),
            ("body-less publish", Browsers.WithCookie(HttpMethod.Post, $"/api/achievements/{draft}/publish", token, Evil)),
            ("body-less publish, referer only", Browsers.WithCookie(HttpMethod.Post, $"/api/achievements/{draft}/publish", token, null, referer: Evil + "/page")),
            ("body-less publish, neither origin nor referer", Browsers.WithCookie(HttpMethod.Post, $"/api/achievements/{draft}/publish", token, null)),
            ("sign-out", Browsers.WithCookie(HttpMethod.Post, "/api/auth/logout", token, Evil)),
        };
        foreach (var (what, request) in attacks)
        {
            var response = await browser.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.BodyAsync();
            Assert.Equal("cross-origin", problem.GetProperty("code").GetString());
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("titleZh").GetString()));
        }
        var after = await DatabaseState.SettledAsync(api.Database.ConnectionString);
        Assert.True(DatabaseState.Same(before, after), $"a cross-origin request changed {DatabaseState.Diff(before, after)}");

        // Same origin still works, by Origin or (when a browser sends none) by Referer; the cookie was not revoked.
        var published = await browser.SendAsync(Browsers.WithCookie(HttpMethod.Post, $"/api/achievements/{draft}/publish", token, own));
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var withdrawn = await browser.SendAsync(Browsers.WithCookie(HttpMethod.Post, $"/api/achievements/{draft}/withdraw", token, null, referer: own + "/#/mine"));
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);

        // A Bearer token cannot be sent by another origin's page, so it is not checked.
        var bearer = new HttpRequestMessage(HttpMethod.Post, "/api/achievements") { Content = JsonContent.Create(Samples.Achievement()) };
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        bearer.Headers.Add("Origin", Evil);
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(bearer)).StatusCode);
    }

    [Fact]
    public async Task A_body_must_be_json_or_the_type_its_endpoint_declares()
    {
        var account = await Browsers.NewAccountAsync(api, "ctype");
        var token = await Browsers.TokenAsync(api, account);
        using var browser = Browsers.From(api);
        var own = Browsers.OwnOrigin(api);
        var created = await browser.SendAsync(Browsers.WithCookie(HttpMethod.Post, "/api/achievements", token, own,
            JsonContent.Create(Samples.Achievement())));
        var draft = (await created.BodyAsync()).GetProperty("id").GetString()!;

        // A body-less action with a form body: a browser's form can send that to any origin without asking.
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x" })
        {
            var form = Browsers.WithCookie(HttpMethod.Post, $"/api/achievements/{draft}/publish", token, own, new StringContent("a=b", Encoding.UTF8));
            form.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            var response = await browser.SendAsync(form);
            Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{type}: {(int)response.StatusCode}");
            Assert.Equal("unsupported-media-type", (await response.BodyAsync()).GetProperty("code").GetString());
        }
        var draftNow = await (await browser.SendAsync(Browsers.WithCookie(HttpMethod.Get, $"/api/achievements/{draft}", token, null))).BodyAsync();
        Assert.Equal("Draft", draftNow.GetProperty("status").GetString());

        // The import declares its own types (JSON lines, plain text), and Bearer callers use them.
        var import = new HttpRequestMessage(HttpMethod.Post, "/api/imports")
        {
            Content = new StringContent(Samples.Achievement("纯文本导入").With("externalId", "ct-" + Guid.NewGuid().ToString("N")[..8]).ToJsonString(), Encoding.UTF8, "text/plain"),
        };
        import.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(import)).StatusCode);
    }

    [Fact]
    public async Task The_hub_refuses_a_cookie_from_another_origin_at_negotiate_and_at_the_websocket_and_serves_its_own()
    {
        var account = await Browsers.NewAccountAsync(api, "csrf-hub");
        var token = await Browsers.TokenAsync(api, account);
        using var browser = Browsers.From(api);
        var own = Browsers.OwnOrigin(api);
        const string negotiate = "/hubs/network/negotiate?negotiateVersion=1";

        var evil = await browser.SendAsync(Browsers.WithCookie(HttpMethod.Post, negotiate, token, Evil));
        Assert.Equal(HttpStatusCode.Forbidden, evil.StatusCode);
        Assert.Equal("cross-origin", (await evil.BodyAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(Browsers.WithCookie(HttpMethod.Post, negotiate, token, own))).StatusCode);

        // The WebSocket itself (SignalR accepts one without negotiating): a browser always sends Origin on the upgrade.
        var ws = new UriBuilder(Browsers.BaseAddress(api)) { Scheme = "ws", Path = "/hubs/network" }.Uri;
        using (var socket = new ClientWebSocket())
        {
            socket.Options.SetRequestHeader("Cookie", $"tt_token={token}");
            socket.Options.SetRequestHeader("Origin", Evil);
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(ws, CancellationToken.None));
        }
        using (var socket = new ClientWebSocket())
        {
            socket.Options.SetRequestHeader("Cookie", $"tt_token={token}");
            socket.Options.SetRequestHeader("Origin", own);
            await socket.ConnectAsync(ws, CancellationToken.None);
            Assert.Equal(WebSocketState.Open, socket.State);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        // A token on the URL (the API clients' way) is not something another origin's page holds.
        var byToken = new HttpRequestMessage(HttpMethod.Post, $"{negotiate}&access_token={token}");
        byToken.Headers.Add("Origin", Evil);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(byToken)).StatusCode);
    }
}
