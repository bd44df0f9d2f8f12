using System.Net;
using System.Net.Http.Headers;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Security;

/// <summary>
/// Issue 17, item 8: /metrics (connection-pool names with host, database and user; every route) and the detailed
/// /health (silo address, memory, connections; a database query per call) answered anyone.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OperatorEndpointTests(ApiFixture api)
{
    [Theory]
    [InlineData("/metrics")]
    [InlineData("/health")]
    [InlineData("/health/")]
    public async Task Metrics_and_detailed_health_are_for_the_operator_token_only(string path)
    {
        var anonymous = await api.Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        var member = await api.SignedInAsync("demo-national"); // not even the national level: operators are not users
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync(path)).StatusCode);

        var wrong = api.Anonymous();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiFixture.HostFactory.OperatorToken + "x");
        Assert.Equal(HttpStatusCode.NotFound, (await wrong.GetAsync(path)).StatusCode);

        var scrape = await api.Host.Operator().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
    }

    [Fact]
    public async Task Probes_stay_open_and_say_only_live_or_ready()
    {
        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            var response = await api.Anonymous().GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.BodyAsync();
            Assert.Equal(["status"], body.EnumerateObject().Select(p => p.Name));
        }
    }
}
