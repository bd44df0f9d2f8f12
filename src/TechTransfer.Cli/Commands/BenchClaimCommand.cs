using System.Diagnostics;
using System.Net;
using System.Text.Json;
using TechTransfer.PushBench;

namespace TechTransfer.Commands;

/// <summary>
/// techtransfer bench-claim: lead-claim latency under contention. Starts a host of its own (or targets --server),
/// registers B brokers split over two centers through the admin API, forms L leads (an enterprise demand and a
/// university achievement that match, both parties interested), and for each lead fires one claim per broker at
/// once. Every claim's round trip is timed; exactly one per lead must win. Last stdout line: JSON.
/// </summary>
public static class BenchClaimCommand
{
    const string BrokerPassword = "bench-claim-2026";

    public static async Task<int> RunAsync(CommandLine args)
    {
        var brokerCount = args.Int("brokers", 100);
        var leadCount = args.Int("leads", 50);
        if (brokerCount < 2 || leadCount < 1) throw new CommandException("need --brokers ≥ 2 and --leads ≥ 1");

        var (server, host) = await BenchHost.StartOrTargetAsync(args, "techtransfer_bench_claim");
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 256 }) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(1) };
            var api = new BenchApi(http);
            var national = await api.SignInAsync(Demo.NationalAdmin, Demo.Password);
            var university = await api.SignInAsync("demo-university", Demo.Password);
            var enterprise = await api.SignInAsync("demo-enterprise", Demo.Password);

            // Brokers of both parties' centers: demo-university is in 江苏 (长三角), demo-enterprise in 广东 (粤港澳).
            var centers = new[] { "yangtze-delta", "greater-bay" };
            var brokers = new string[brokerCount];
            await Parallel.ForEachAsync(Enumerable.Range(0, brokerCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            {
                var account = $"bench-claim-broker-{i:D3}";
                try
                {
                    await api.SendAsync(HttpMethod.Post, $"/api/organizations/org-center-{centers[i % 2]}/accounts", national,
                        new { account, displayName = $"压测经纪人 {i}", role = "Broker", password = BrokerPassword });
                }
                catch (ApiException e) when (e.Status == HttpStatusCode.Conflict) { } // made by an earlier run
                brokers[i] = await api.SignInAsync(account, BrokerPassword);
            });
            Console.Error.WriteLine($"bench-claim: {brokerCount} brokers signed in; forming {leadCount} leads");

            var latencies = new List<double>();
            int wins = 0, conflicts = 0, failures = 0;
            for (var lead = 0; lead < leadCount; lead++)
            {
                var deal = await LeadAsync(api, university, enterprise, lead);
                var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var claims = brokers.Select(async token =>
                {
                    await start.Task;
                    var clock = Stopwatch.StartNew();
                    var status = HttpStatusCode.OK;
                    try { await api.SendAsync(HttpMethod.Post, $"/api/deals/{deal}/claim", token, new { }); }
                    catch (ApiException e) { status = e.Status; }
                    return (StatusCode: status, clock.Elapsed.TotalMilliseconds);
                }).ToArray();
                start.SetResult(); // all claims leave together
                var results = await Task.WhenAll(claims);
                var won = results.Count(r => r.StatusCode == HttpStatusCode.OK);
                if (won != 1) throw new CommandException($"lead {deal}: {won} claims won");
                wins += won;
                conflicts += results.Count(r => r.StatusCode == HttpStatusCode.Conflict);
                failures += results.Count(r => r.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Conflict));
                latencies.AddRange(results.Select(r => r.TotalMilliseconds));
                if ((lead + 1) % 10 == 0) Console.Error.WriteLine($"bench-claim: {lead + 1}/{leadCount} leads claimed");
            }
            latencies.Sort();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                brokers = brokerCount,
                leads = leadCount,
                claims = latencies.Count,
                winners = wins,
                conflicts,
                failures,
                latencyMs = new { p50 = Percentiles.Of(latencies, 0.50), p99 = Percentiles.Of(latencies, 0.99), max = Math.Round(latencies[^1], 1) },
                machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
            }));
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            if (host is not null) await host.DisposeAsync();
        }
    }

    /// <summary>A demand and an achievement sharing a unique word, published, both parties interested: a lead.</summary>
    static async Task<string> LeadAsync(BenchApi api, string university, string enterprise, int n)
    {
        var word = "zzclaim" + string.Concat(Guid.NewGuid().ToString("N")[..8].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))));
        var demand = await CreatePublishedAsync(api, "/api/demands", enterprise, new
        {
            title = $"寻求{word}极片缺陷在线检测技术", description = "我公司需要在涂布产线上实时检测极片缺陷，要求漏检率低于千分之一。",
            keywords = new[] { word, "极片", "缺陷检测" }, techField = "NewEnergy", minTrl = 5, budgetMin = 100, budgetMax = 500, province = "广东",
            deadline = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd"), contact = new { name = "李工", phone = "020-38880000" },
        });
        var achievement = await CreatePublishedAsync(api, "/api/achievements", university, new
        {
            title = $"{word} 锂电池极片缺陷在线检测方法 {n}", summary = "本成果提出一种基于深度学习的锂电池极片缺陷在线检测方法。",
            keywords = new[] { word, "极片", "缺陷检测" }, techField = "NewEnergy", trl = 6, transferModes = new[] { "License" }, askingPrice = 300,
            province = "江苏", ipRights = Array.Empty<object>(), contact = new { name = "王老师", phone = "025-83790000" },
        });
        var deal = Matching.ListingMatcher.MatchId(achievement, demand);
        foreach (var token in new[] { enterprise, university }) await api.SendAsync(HttpMethod.Post, $"/api/deals/{deal}/interest", token, new { });
        return deal;
    }

    static async Task<string> CreatePublishedAsync(BenchApi api, string path, string token, object body)
    {
        var id = (await api.SendAsync(HttpMethod.Post, path, token, body)).GetProperty("id").GetString()!;
        await api.SendAsync(HttpMethod.Post, $"{path}/{id}/publish", token);
        return id;
    }
}
