using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.RateLimits;

/// <summary>
/// Issue 17, item 14: past capacity a host let writes pile up until the callers' 30 s timeouts. Now writes beyond
/// capacity are refused at once with 503 overloaded (nothing written), and reads are never held back. Issue 20,
/// item 5: a refusal comes as the write arrives, never after it waited its turn.
/// </summary>
public sealed class LoadSheddingTests
{
    [Fact]
    public async Task Writes_beyond_capacity_get_a_fast_503_and_change_nothing_while_reads_are_served()
    {
        await using var database = await TestDatabase.CreateAsync("shed");
        await using var host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, new Dictionary<string, string>
        {
            ["TechTransfer:LoadShedding:ConcurrentWrites"] = "1",
            ["TechTransfer:LoadShedding:QueuedWrites"] = "0",
        });
        host.StartServer();
        await host.WaitUntilSeededAsync();
        var university = await host.SignedInAsync("demo-university");
        var before = await database.CountAsync("SELECT count(*) FROM tt_listing");

        var writes = Enumerable.Range(0, 24).Select(i => university.PostAsJsonAsync("/api/achievements", Samples.Achievement($"一种锂电池极片缺陷在线检测方法{i}"))).ToList();
        var reads = Enumerable.Range(0, 8).Select(_ => host.CreateClient().GetAsync("/api/regions")).ToList();
        var answers = await Task.WhenAll(writes);

        var shed = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(shed);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        foreach (var refusal in shed)
        {
            Assert.Equal("overloaded", (await refusal.BodyAsync()).GetProperty("code").GetString());
            Assert.NotNull(refusal.Headers.RetryAfter);
        }
        Assert.All(await Task.WhenAll(reads), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var created = answers.Count(a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(before + created, await database.CountAsync("SELECT count(*) FROM tt_listing"));
    }

    [Fact]
    public async Task Once_the_host_knows_how_long_writes_take_a_write_it_could_not_answer_in_time_is_refused_as_it_arrives_and_one_let_in_is_served()
    {
        await using var database = await TestDatabase.CreateAsync("shedforeseen");
        await using var host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, new Dictionary<string, string>
        {
            ["TechTransfer:LoadShedding:ConcurrentWrites"] = "1",
            ["TechTransfer:LoadShedding:AnswerWithin"] = "00:00:00.2",
        });
        host.StartServer();
        await host.WaitUntilSeededAsync();
        var university = await host.SignedInAsync("demo-university");
        var refusals = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "techtransfer.writes.shed") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == "reason") refusals.Add((string)tag.Value!);
        });
        listener.Start();

        // A few writes one after another: the host learns how long a write holds its turn.
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Created, (await university.PostAsJsonAsync("/api/achievements", Samples.Achievement($"一种储能电站热失控预警方法{i}"))).StatusCode);
        // Then a burst far beyond what one write at a time serves within 200 ms.
        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            university.PostAsJsonAsync("/api/achievements", Samples.Achievement($"一种储能电站热失控预警方法批量{i}"))));

        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.ServiceUnavailable);
        // Every refusal was on arrival; a write let in waited its turn and was served, however long that took.
        Assert.NotEmpty(refusals);
        Assert.All(refusals, reason => Assert.Equal("foreseen", reason));
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Created);
    }
}
