using System.Text.RegularExpressions;
using Orleans.Runtime;
using TechTransfer.Contracts;
using TechTransfer.Tests.Infrastructure;
using static TechTransfer.Tests.Contracts.ContractSamples;

namespace TechTransfer.Tests.Contracts;

/// <summary>
/// The silo holding a center's registry dies while brokers register. Every deal still ends up with exactly one
/// number, the numbers are 1..N without a gap, every number is a stored contract, and the index counts each once.
/// </summary>
public sealed class ContractFailoverTests
{
    [Fact]
    public async Task Numbers_stay_unique_and_gap_free_and_counted_once_when_the_registrys_silo_is_killed_mid_stream()
    {
        await using var database = await TestDatabase.CreateAsync("contracts");
        var cluster = await ClusterFixture.StartAsync(database.ConnectionString, Guid.NewGuid().ToString("N"));
        try
        {
            const string region = "greater-bay"; // third in regions.json → center 03
            var broker = BrokerOf(region);
            var registry = cluster.Client.GetGrain<IContractRegistryGrain>(region);
            await registry.FlushAsync();
            var victim = cluster.SecondarySilos[0];
            var management = cluster.Client.GetGrain<IManagementGrain>(0);
            if (!victim.SiloAddress.Equals(await management.GetActivationAddress(registry))) // migrating in place never returns
                await cluster.MigrateAsync(registry, victim.SiloAddress).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(victim.SiloAddress, await management.GetActivationAddress(registry));

            var deals = Enumerable.Range(0, 60).Select(_ => Facts(region)).ToArray();
            var numbers = new string[deals.Length];
            var done = 0;
            var registering = Parallel.ForEachAsync(Enumerable.Range(0, deals.Length), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, _) =>
            {
                // A call whose silo died may or may not have registered: asking again is how a deal finds out.
                numbers[i] = (await ClusterFixture.WithRetry(() => registry.RegisterAsync(broker, deals[i], Content(10m, 8m, "2004-06-01")))).Number;
                Interlocked.Increment(ref done);
            });
            while (Volatile.Read(ref done) < deals.Length / 3) await Task.Delay(10);
            await cluster.KillSiloAsync(victim);
            await registering;

            var year = Today.Year;
            Assert.All(numbers, n => Assert.Matches(new Regex($"^{year}03[0-9]{{6}}$"), n));
            Assert.Equal(Enumerable.Range(1, deals.Length), numbers.Select(n => int.Parse(n[6..])).Order());
            for (var i = 0; i < deals.Length; i++)
            {
                var stored = await ClusterFixture.WithRetry(() => cluster.Client.Contract(numbers[i]).GetAsync(broker));
                Assert.Equal(deals[i].DealId, stored!.Facts.DealId);
            }

            for (var attempt = 0; await ClusterFixture.WithRetry(registry.FlushAsync) > 0; attempt++)
            {
                Assert.True(attempt < 100, "The registry's outbox did not drain.");
                await Task.Delay(100);
            }
            var month = (await TradingIndex.Get(cluster.Client).GetAsync("2004-06", "2004-06")).Months.Single();
            Assert.Equal((60, 600m, 480m), (month.Count, month.ContractAmount, month.TechTransactionAmount));
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
