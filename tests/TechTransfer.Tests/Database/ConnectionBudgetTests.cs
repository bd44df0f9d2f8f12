using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TechTransfer.Database;
using TechTransfer.Hosting;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Database;

/// <summary>
/// Issue 17, item 14: every host opened two pools of up to 100 connections against a PostgreSQL of 100, so under
/// load the server refused connections (53300) and grain activations failed. Each host now takes its share.
/// </summary>
public sealed class ConnectionBudgetTests
{
    [Theory]
    [InlineData(100, 3, 1, 10, 87)]
    [InlineData(100, 3, 3, 10, 29)]
    [InlineData(300, 3, 3, 10, 95)]
    public void All_hosts_together_stay_under_max_connections_with_the_reserve(int max, int superuser, int hosts, int reserve, int perHost)
    {
        var budget = new ConnectionBudget(max, superuser, hosts, reserve);
        Assert.Equal(perHost, budget.PerHost);
        Assert.Equal(perHost, budget.OrleansPool + budget.DataSourcePool);
        Assert.True(hosts * (budget.OrleansPool + budget.DataSourcePool) + reserve <= max - superuser);
    }

    [Fact]
    public void Too_many_hosts_for_the_server_is_refused_with_what_to_change()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new ConnectionBudget(100, 3, 20, 10).Check());
        Assert.Contains("max_connections", failure.Message);
        Assert.Contains("TechTransfer:Database:Hosts", failure.Message);
    }

    [Fact]
    public async Task The_budget_reads_the_server_and_sizes_both_pools_of_a_host()
    {
        await using var database = await TestDatabase.CreateAsync("budget");
        var configuration = new ConfigurationManager();
        configuration[$"ConnectionStrings:{GrainServices.ConnectionName}"] = database.ConnectionString;
        configuration["TechTransfer:Database:Hosts"] = "3";

        var budget = await ConnectionBudget.ApplyAsync(configuration, GrainServices.ConnectionName);

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('max_connections')::int", connection);
        Assert.Equal((int)(await command.ExecuteScalarAsync())!, budget.MaxConnections);
        var orleans = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(GrainServices.ConnectionName));
        Assert.Equal(budget.OrleansPool, orleans.MaxPoolSize);

        var services = new ServiceCollection().AddGrainServices(configuration).BuildServiceProvider();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        Assert.Equal(budget.DataSourcePool, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize);
    }

    [Fact]
    public async Task A_host_that_would_exceed_the_server_does_not_start()
    {
        await using var database = await TestDatabase.CreateAsync("budget");
        await using var host = new ApiFixture.HostFactory(database.ConnectionString, demoListings: false,
            new Dictionary<string, string> { ["TechTransfer:Database:Hosts"] = "40" });
        var failure = Assert.ThrowsAny<Exception>(() => host.StartServer());
        Assert.Contains("max_connections", failure.ToString());
    }
}
