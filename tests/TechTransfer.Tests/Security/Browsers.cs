using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Security;

/// <summary>
/// Clients that behave as browsers and machines elsewhere do: a signed-in cookie sent by hand (as a browser sends it
/// with any request to the host), and connections from another loopback source address (127.0.0.0/8 is all
/// loopback on Linux, so the server's RemoteIpAddress is really that address; no header is trusted).
/// </summary>
public static class Browsers
{
    /// <summary>A fresh Member of the demo university; its password is <see cref="Password"/>.</summary>
    public static async Task<string> NewAccountAsync(ApiFixture api, string prefix)
    {
        var account = prefix + "-" + Guid.NewGuid().ToString("N")[..10];
        var admin = await api.SignedInAsync("demo-university");
        var created = await admin.PostAsJsonAsync("/api/organizations/org-demo-university/accounts",
            new { account, displayName = "安全测试", role = "Member", password = Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return account;
    }

    public const string Password = "Browser#Test-2026";

    public static async Task<string> TokenAsync(ApiFixture api, string account, string password = Password)
    {
        var login = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { account, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (await login.BodyAsync()).GetProperty("token").GetString()!;
    }

    public static Uri BaseAddress(ApiFixture api) => api.Anonymous().BaseAddress!;

    /// <summary>The host's own origin, as a browser on the portal's page sends it.</summary>
    public static string OwnOrigin(ApiFixture api) => BaseAddress(api).GetLeftPart(UriPartial.Authority);

    /// <summary>A client that sends no cookies of its own and connects from <paramref name="sourceIp"/>.</summary>
    public static HttpClient From(ApiFixture api, string sourceIp = "127.0.0.1") => new(new SocketsHttpHandler
    {
        UseCookies = false,
        ConnectCallback = async (context, cancellation) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(sourceIp), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    }) { BaseAddress = BaseAddress(api) };

    /// <summary>A request as a browser sends it with the sign-in cookie; origin and referer as given (null: not sent).</summary>
    public static HttpRequestMessage WithCookie(HttpMethod method, string path, string token, string? origin, HttpContent? content = null,
        string? referer = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Cookie", $"tt_token={token}");
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (referer is not null) request.Headers.Referrer = new Uri(referer);
        return request;
    }
}
