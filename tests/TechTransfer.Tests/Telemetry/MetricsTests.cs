using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using TechTransfer.Notifications;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Telemetry;

/// <summary>The OpenTelemetry meters as an operator's Prometheus scraper reads them from /metrics.</summary>
[Collection(ApiCollection.Name)]
public sealed class MetricsTests(ApiFixture api)
{
    async Task<string> ScrapeAsync()
    {
        var response = await api.Host.Operator().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    // The sum over every series of one metric (e.g. all kinds), or 0 when it has none yet.
    static double Sum(string scrape, string metric) =>
        Regex.Matches(scrape, $@"^{Regex.Escape(metric)}(?:\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_publish_that_matches_moves_the_publish_match_push_and_index_lag_meters()
    {
        var before = await ScrapeAsync();
        var enterprise = await api.SignedInAsync("demo-enterprise");
        var connection = api.Host.HubConnection(enterprise.DefaultRequestHeaders.Authorization!.Parameter!);
        var matched = new TaskCompletionSource<MatchFound>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<MatchFound>(nameof(MatchFound), m => matched.TrySetResult(m));
        await connection.StartAsync();
        await connection.InvokeAsync<Dictionary<string, long>>("Listen");

        var word = Samples.UniqueWord();
        await enterprise.CreatePublishedAsync("/api/demands",
            Samples.Demand($"寻求{word}极片缺陷检测技术").With("keywords", new JsonArray(word, "极片")));
        await (await api.SignedInAsync("demo-university")).CreatePublishedAsync("/api/achievements",
            Samples.Achievement($"{word} 锂电池极片缺陷在线检测方法").With("keywords", new JsonArray(word, "极片", "缺陷检测")));
        await matched.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await connection.DisposeAsync();

        // The exporter caches a scrape briefly, and other tests' hosts in this process add to the same meters:
        // read until every figure has moved at least as far as this test moved it.
        bool Moved(string scrape) =>
            Sum(scrape, "techtransfer_listings_published_total") >= Sum(before, "techtransfer_listings_published_total") + 2
            && Sum(scrape, "techtransfer_matches_found_total") >= Sum(before, "techtransfer_matches_found_total") + 1
            && Sum(scrape, "techtransfer_push_latency_milliseconds_count") > Sum(before, "techtransfer_push_latency_milliseconds_count")
            && Sum(scrape, "techtransfer_index_lag_milliseconds_count") > Sum(before, "techtransfer_index_lag_milliseconds_count");
        string after;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await Task.Delay(200);
            after = await ScrapeAsync();
        } while (!Moved(after) && DateTime.UtcNow < deadline);

        Assert.True(Moved(after), after);
        Assert.Contains("kind=\"Achievement\"", after);
        // Orleans' (grain activations) and ASP.NET Core's series are exported too, but not checked here: when dozens of
        // hosts share the test process, a host's exporter at times lists none of the meters made through its own
        // IMeterFactory (seen only in the full suite; a lone host always has them). The soak checks them on each of
        // its hosts, which are processes of their own (SoakCommand.ScrapeMetersAsync).
    }

    [Fact]
    public async Task Metrics_carry_no_user_data()
    {
        var scrape = await ScrapeAsync();
        Assert.DoesNotContain("demo-enterprise", scrape);
        Assert.DoesNotContain("acct:", scrape);
    }
}
