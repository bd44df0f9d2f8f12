using System.Net.Http.Json;
using System.Text.Json;

namespace TechTransfer.PushBench;

/// <summary>Reads the host's /health once a second: its working set and SignalR connection count.</summary>
public sealed class HostSampler : IAsyncDisposable
{
    public readonly record struct Sample(long WorkingSetBytes, int Connections, int IndexedListings);

    readonly HttpClient http;
    readonly CancellationTokenSource stop = new();
    readonly Task loop;
    readonly Lock gate = new();
    Sample latest;
    long peakWorkingSet;
    int peakConnections;

    HostSampler(HttpClient http)
    {
        this.http = http;
        loop = Task.Run(RunAsync);
    }

    public static async Task<HostSampler> StartAsync(Uri server)
    {
        var sampler = new HostSampler(OperatorToken.Client(server, TimeSpan.FromSeconds(10)));
        sampler.Record(await sampler.ReadAsync());
        return sampler;
    }

    public Sample Latest { get { lock (gate) return latest; } }

    public long PeakWorkingSetBytes { get { lock (gate) return peakWorkingSet; } }

    public int PeakConnections { get { lock (gate) return peakConnections; } }

    /// <summary>Starts a new peak from now (e.g. after the baseline before connecting).</summary>
    public void ResetPeak()
    {
        lock (gate) (peakWorkingSet, peakConnections) = (latest.WorkingSetBytes, latest.Connections);
    }

    /// <summary>A fresh reading, now.</summary>
    public async Task<Sample> ReadNowAsync()
    {
        var sample = await ReadAsync();
        Record(sample);
        return sample;
    }

    async Task<Sample> ReadAsync()
    {
        var health = await http.GetFromJsonAsync<JsonElement>("/health");
        return new Sample(health.GetProperty("workingSetBytes").GetInt64(), health.GetProperty("connections").GetInt32(),
            health.GetProperty("indexedListings").GetInt32());
    }

    void Record(Sample sample)
    {
        lock (gate)
        {
            latest = sample;
            peakWorkingSet = Math.Max(peakWorkingSet, sample.WorkingSetBytes);
            peakConnections = Math.Max(peakConnections, sample.Connections);
        }
    }

    async Task RunAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
                Record(await ReadAsync());
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                // a slow or missing answer is a missed sample, not a failed run (IOException: a host stopped mid-answer)
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
        http.Dispose();
    }
}
