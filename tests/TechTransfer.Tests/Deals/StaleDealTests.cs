using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using TechTransfer.Notifications;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Deals;

/// <summary>
/// A host whose deals go stale after 2 s, checked every second by an Orleans reminder (production: 14 days, every
/// 6 hours). The flag lands in the trail and is pushed to the brokers.
/// </summary>
public sealed class StaleDealTests : IAsyncLifetime
{
    TestDatabase database = null!;
    ApiFixture.HostFactory host = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("stale");
        host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false, new Dictionary<string, string>
        {
            ["TechTransfer:Deals:StaleAfter"] = "00:00:02",
            ["TechTransfer:Deals:StaleCheckEvery"] = "00:00:01",
        });
        host.StartServer();
        await host.WaitUntilSeededAsync();
    }

    Task<HttpClient> SignedInAsync(string account) => host.SignedInAsync(account);

    [Fact]
    public async Task A_lead_without_activity_is_flagged_by_the_reminder_and_its_brokers_are_told()
    {
        var broker = await SignedInAsync("demo-broker");
        var stale = new TaskCompletionSource<DealStale>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = host.HubConnection(broker.DefaultRequestHeaders.Authorization!.Parameter!);
        connection.On<DealStale>(nameof(DealStale), e => stale.TrySetResult(e));
        await connection.StartAsync();
        await connection.InvokeAsync<Dictionary<string, long>>("Listen");

        var deal = await DealApiTests.MatchAsync(SignedInAsync);
        await (await SignedInAsync("demo-enterprise")).PostAsJsonAsync($"/api/deals/{deal}/interest", new { });
        (await (await SignedInAsync("demo-university")).PostAsJsonAsync($"/api/deals/{deal}/interest", new { })).EnsureSuccessStatusCode();

        var pushed = await stale.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(deal, pushed.DealId);
        Assert.Equal("Lead", pushed.Stage);
        var view = await broker.GetFromJsonAsync<JsonElement>($"/api/deals/{deal}");
        Assert.True(view.GetProperty("stale").GetBoolean());
        Assert.Contains(view.GetProperty("trail").EnumerateArray(), e => e.GetProperty("action").GetString() == "stale" && e.GetProperty("actor").GetString() == "system");

        // Activity clears the flag: the claim is news, so the deal is fresh again.
        var claimed = await (await broker.PostAsJsonAsync($"/api/deals/{deal}/claim", new { })).BodyAsync();
        Assert.False(claimed.GetProperty("stale").GetBoolean());
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await database.DisposeAsync();
    }
}
