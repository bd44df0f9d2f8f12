using System.Diagnostics;
using System.Net;
using System.Text.Json;
using TechTransfer.PushBench;

namespace TechTransfer.Commands;

/// <summary>
/// techtransfer bench-bid: auction bid latency under contention. Starts a host of its own (or targets --server),
/// registers B bidders in the verified demo enterprise through the admin API, and for each of R auctions (of a
/// demo-university achievement, ending well after the run so no soft close) fires one bid per bidder at once, with
/// distinct amounts in random order. Every round trip is timed; the highest amount must be the auction's price.
/// Last stdout line: JSON.
/// </summary>
public static class BenchBidCommand
{
    const string BidderPassword = "bench-bid-2026";

    public static async Task<int> RunAsync(CommandLine args)
    {
        var bidderCount = args.Int("bidders", 100);
        var rounds = args.Int("rounds", 20);
        if (bidderCount < 2 || rounds < 1) throw new CommandException("need --bidders ≥ 2 and --rounds ≥ 1");

        var (server, host) = await BenchHost.StartOrTargetAsync(args, "techtransfer_bench_bid");
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 256 }) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(1) };
            var api = new BenchApi(http);
            var national = await api.SignInAsync(Demo.NationalAdmin, Demo.Password);
            var seller = await api.SignInAsync("demo-university", Demo.Password);
            await api.SendAsync(HttpMethod.Post, "/api/organizations/org-demo-enterprise/verification", national, new { verified = true });

            var bidders = new string[bidderCount];
            await Parallel.ForEachAsync(Enumerable.Range(0, bidderCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            {
                var account = $"bench-bid-{i:D3}";
                try
                {
                    await api.SendAsync(HttpMethod.Post, "/api/organizations/org-demo-enterprise/accounts", national,
                        new { account, displayName = $"压测竞买人 {i}", role = "Member", password = BidderPassword });
                }
                catch (ApiException e) when (e.Status == HttpStatusCode.Conflict) { } // made by an earlier run
                bidders[i] = await api.SignInAsync(account, BidderPassword);
            });
            Console.Error.WriteLine($"bench-bid: {bidderCount} bidders signed in; {rounds} auctions");

            var accepted = new List<double>();
            var all = new List<double>();
            int refused = 0, failures = 0;
            for (var round = 0; round < rounds; round++)
            {
                var auction = await AuctionAsync(api, seller);
                var amounts = Enumerable.Range(1, bidderCount).Select(n => 100m + n).OrderBy(_ => Random.Shared.Next()).ToArray();
                var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var bids = bidders.Select(async (token, i) =>
                {
                    await start.Task;
                    var clock = Stopwatch.StartNew();
                    var status = HttpStatusCode.OK;
                    try { await api.SendAsync(HttpMethod.Post, $"/api/auctions/{auction}/bids", token, new { clientBidId = $"r{round}-b{i}", amount = amounts[i] }); }
                    catch (ApiException e) { status = e.Status; }
                    return (Status: status, clock.Elapsed.TotalMilliseconds);
                }).ToArray();
                start.SetResult(); // all bids leave together
                var results = await Task.WhenAll(bids);
                accepted.AddRange(results.Where(r => r.Status == HttpStatusCode.OK).Select(r => r.TotalMilliseconds));
                all.AddRange(results.Select(r => r.TotalMilliseconds));
                refused += results.Count(r => r.Status == HttpStatusCode.Conflict);
                failures += results.Count(r => r.Status is not (HttpStatusCode.OK or HttpStatusCode.Conflict));
                var view = await api.SendAsync(HttpMethod.Get, $"/api/auctions/{auction}", seller);
                if (view.GetProperty("currentPrice").GetDecimal() != 100m + bidderCount)
                    throw new CommandException($"auction {auction}: price {view.GetProperty("currentPrice")} is not the highest bid");
                if ((round + 1) % 5 == 0) Console.Error.WriteLine($"bench-bid: {round + 1}/{rounds} auctions");
            }
            accepted.Sort();
            all.Sort();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                bidders = bidderCount,
                auctions = rounds,
                bids = all.Count,
                accepted = accepted.Count,
                refused,
                failures,
                acceptedLatencyMs = new { p50 = Percentiles.Of(accepted, 0.50), p99 = Percentiles.Of(accepted, 0.99), max = Math.Round(accepted[^1], 1) },
                allLatencyMs = new { p50 = Percentiles.Of(all, 0.50), p99 = Percentiles.Of(all, 0.99), max = Math.Round(all[^1], 1) },
                machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
            }));
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            if (host is not null) await host.DisposeAsync();
        }
    }

    /// <summary>A published achievement of demo-university put up for auction until an hour from now (no soft close in the run).</summary>
    static async Task<string> AuctionAsync(BenchApi api, string seller)
    {
        var achievement = (await api.SendAsync(HttpMethod.Post, "/api/achievements", seller, new
        {
            title = "压测拍卖：锂电池极片缺陷在线检测方法", summary = "本成果提出一种基于深度学习的锂电池极片缺陷在线检测方法。",
            keywords = new[] { "拍卖压测" }, techField = "NewEnergy", trl = 6, transferModes = new[] { "Assignment" }, askingPrice = 100,
            province = "江苏", ipRights = Array.Empty<object>(), contact = new { name = "王老师", phone = "025-83790000" },
        })).GetProperty("id").GetString()!;
        await api.SendAsync(HttpMethod.Post, $"/api/achievements/{achievement}/publish", seller);
        return (await api.SendAsync(HttpMethod.Post, "/api/auctions", seller, new
        {
            achievementId = achievement, endsAt = DateTimeOffset.UtcNow.AddHours(1), startingPrice = 100m, reservePrice = 100m, minIncrement = 0.5m,
        })).GetProperty("id").GetString()!;
    }
}
