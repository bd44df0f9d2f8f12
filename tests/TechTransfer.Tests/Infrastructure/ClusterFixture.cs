using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.TestingHost;
using TechTransfer.Hosting;

namespace TechTransfer.Tests.Infrastructure;

/// <summary>
/// A two-silo Orleans TestCluster on real PostgreSQL membership, storage and reminders, configured from
/// the same silo-config/silo.json the hosts ship with. One per test collection; tests use fresh grain keys.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("cluster");
        Cluster = await StartAsync(Database.ConnectionString, serviceId: Guid.NewGuid().ToString("N"));
    }

    /// <summary>Starts a cluster on the given database; a second one with the same service id sees the first one's state.</summary>
    public static async Task<TestCluster> StartAsync(string connectionString, string serviceId, short silos = 2,
        IReadOnlyDictionary<string, string>? settings = null, Action<TestClusterBuilder>? configure = null)
    {
        var builder = new TestClusterBuilder(silos);
        configure?.Invoke(builder); // before the shipped configuration, so a test's own services (a clock) come first
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.Properties[key] = value;
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ServiceId = serviceId;
        builder.Properties[$"ConnectionStrings:{GrainServices.ConnectionName}"] = connectionString;
        builder.AddSiloBuilderConfigurator<ShippedSiloConfig>();
        builder.AddClientBuilderConfigurator<ShippedClientConfig>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>A silo of this cluster by index, to call grains through that silo's own grain factory.</summary>
    public IGrainFactory GrainsOnSilo(int index) =>
        ((InProcessSiloHandle)Cluster.Silos[index]).SiloHost.Services.GetRequiredService<IGrainFactory>();

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Adds silo-config/silo.json (providers: AdoNet on Npgsql) under the test cluster's own ids.</summary>
    public sealed class ShippedSiloConfig : IHostConfigurator, ISiloConfigurator
    {
        public void Configure(IHostBuilder hostBuilder) => AddShipped(hostBuilder, _ => true);

        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.Services.AddGrainServices(siloBuilder.Configuration);
    }

    /// <summary>The test's external client needs only the shipped clustering section to find the silos.</summary>
    public sealed class ShippedClientConfig : IHostConfigurator
    {
        public void Configure(IHostBuilder hostBuilder) => AddShipped(hostBuilder, key => key.StartsWith("Orleans:Clustering", StringComparison.Ordinal));
    }

    static void AddShipped(IHostBuilder hostBuilder, Func<string, bool> include) =>
        hostBuilder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "silo-config", "silo.json"))
            .Build()
            .AsEnumerable()
            .Where(kv => kv.Value is not null && kv.Key != "Orleans:ServiceId" && include(kv.Key))));

    /// <summary>What a caller does when the silo it talked to dies: ask again; the grain comes back elsewhere.</summary>
    public static async Task<T> WithRetry<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is not Problems.ProblemException && attempt < 60)
            {
                await Task.Delay(500);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
