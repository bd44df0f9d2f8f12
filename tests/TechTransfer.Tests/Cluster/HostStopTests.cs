using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Cluster;

/// <summary>
/// A host told to stop must stop (issue 17, item 16): SignalR closes its hub connections when stopping begins and the
/// clients reconnect at once; those reconnects used to land on the stopping host, and Kestrel waited for them until the
/// 30 s shutdown timeout, so under load an operator's stop of one host in three ran out of patience and killed it.
/// </summary>
public sealed class HostStopTests
{
    [Fact]
    public async Task A_stopping_host_refuses_new_requests_and_reconnecting_hub_clients_and_then_stops_without_waiting_for_them()
    {
        await using var database = await TestDatabase.CreateAsync("stop");
        var host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false);
        var disposed = false;
        try
        {
            host.StartServer();
            await host.WaitUntilSeededAsync();
            using var broker = await host.SignedInAsync("demo-broker-beibu-gulf");
            var token = broker.DefaultRequestHeaders.Authorization!.Parameter!;
            var hubs = Enumerable.Range(0, 4).Select(_ => new HubConnectionBuilder()
                .WithUrl(new Uri(broker.BaseAddress!, "/hubs/network"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .WithAutomaticReconnect(new AtOnce())
                .Build()).ToList();
            await Task.WhenAll(hubs.Select(h => h.StartAsync()));

            // Stopping begins: SignalR closes the hub connections and the clients try again at once.
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            var stopped = new TaskCompletionSource();
            lifetime.ApplicationStopped.Register(() => stopped.TrySetResult());
            var clock = Stopwatch.StartNew();
            lifetime.StopApplication();

            // A new request is not served: refused with 503 unavailable, or not taken at all once Kestrel stopped listening.
            using var anonymous = host.CreateClient();
            try
            {
                var refused = await anonymous.GetAsync("/health/live");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("unavailable", (await refused.BodyAsync()).GetProperty("code").GetString());
                Assert.NotNull(refused.Headers.RetryAfter);
            }
            // A connection Kestrel closes as it stops listening may fail before a request is sent, even as a bare SocketException
            // from the handler's connect (seen once in the full suite: "Transport endpoint is not connected").
            catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException or IOException)
            {
            }

            // So no reconnected hub holds the stop: well inside the 30 s Kestrel would otherwise wait for them.
            await stopped.Task.WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the host took {clock.Elapsed.TotalSeconds:F1} s to stop");
            Assert.All(hubs, h => Assert.NotEqual(HubConnectionState.Connected, h.State));
            await host.DisposeAsync();
            disposed = true;
            foreach (var hub in hubs) await hub.DisposeAsync();
        }
        finally
        {
            if (!disposed) await host.DisposeAsync();
        }
    }

    /// <summary>Reconnects at once, as SignalR's default policy first does, and keeps trying.</summary>
    sealed class AtOnce : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            retryContext.PreviousRetryCount < 500 ? TimeSpan.FromMilliseconds(20) : null;
    }
}
