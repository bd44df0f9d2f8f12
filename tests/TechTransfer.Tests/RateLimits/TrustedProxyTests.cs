using System.Net;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.RateLimits;

/// <summary>
/// Issue 17, item 13: the rate limits keyed on the connection's address with no forwarded-headers handling, so behind
/// a load balancer every user shared one bucket. Now the client address is taken from X-Forwarded-For when, and only
/// when, the connection comes from a listed proxy network.
/// </summary>
public sealed class TrustedProxyTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Clients_behind_a_listed_proxy_get_buckets_of_their_own_and_nobody_else_picks_one(bool proxyListed)
    {
        await using var database = await TestDatabase.CreateAsync("proxy");
        var settings = new Dictionary<string, string> { ["TechTransfer:RateLimits:AnonymousPermitsPerMinute"] = "10" }; // a bucket of 5, one more every 6 s
        if (proxyListed) settings["TechTransfer:TrustedProxies:0"] = "127.0.0.0/8"; // the test's requests come from loopback
        await using var host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, settings);
        host.StartServer();
        using var client = host.CreateClient();

        async Task<HttpStatusCode> AskAs(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/regions");
            request.Headers.Add("X-Forwarded-For", address);
            return (await client.SendAsync(request)).StatusCode;
        }

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++) first.Add(await AskAs("203.0.113.1"));
        Assert.Contains(HttpStatusCode.TooManyRequests, first);

        var other = await AskAs("203.0.113.2");
        Assert.Equal(proxyListed ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests, other);
    }
}
