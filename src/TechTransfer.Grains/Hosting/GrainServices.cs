using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Storage;
using TechTransfer.Accounts;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.RegionalCenters;
using TechTransfer.Storage;

namespace TechTransfer.Hosting;

public static class GrainServices
{
    public const string ConnectionName = "techtransfer";

    /// <summary>The connection string every part of a host uses (Orleans providers name it in silo.json).</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionName)
        ?? throw new InvalidOperationException(
            $"No connection string '{ConnectionName}': set ConnectionStrings__{ConnectionName} or use scripts/start.");

    /// <summary>The host's own pool, sized by <see cref="Database.ConnectionBudget"/> when the host applied one.</summary>
    static string DataSourceConnectionString(IConfiguration configuration)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString(configuration));
        if (configuration.GetValue<int?>($"{Database.ConnectionBudget.Section}:DataSourcePoolSize") is { } size) builder.MaxPoolSize = size;
        return builder.ConnectionString;
    }

    /// <summary>
    /// This host's search replica (<see cref="IndexReplica"/>), once. A host registers it before its silo, so the
    /// replica loads from PostgreSQL while the silo is still joining its cluster (a join waits seconds on its peers'
    /// writes to the membership table) and stops after the silo; <see cref="AddGrainServices"/> adds it where nobody did.
    /// </summary>
    public static IServiceCollection AddSearchReplica(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IndexReplica))) return services;
        services.AddSingleton<IndexReplica>();
        return services.AddHostedService(sp => sp.GetRequiredService<IndexReplica>());
    }

    /// <summary>What grains need from the host, registered identically by the server, the CLI and the tests.</summary>
    public static IServiceCollection AddGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(DataSourceConnectionString(configuration)));
        services.TryAddSingleton<ListingProjection>();
        services.TryAddSingleton<Organizations.OrganizationProjection>();
        services.TryAddSingleton(_ => RegionDirectory.Load(
            configuration["TechTransfer:RegionsFile"] ?? Path.Combine(AppContext.BaseDirectory, "silo-config", "regions.json")));
        services.TryAddSingleton(TimeProvider.System);
        // A database outage inside a grain must reach a caller on another silo as an NpgsqlException (a fast 503).
        // Orleans only serializes exceptions of the Microsoft/System/Azure namespaces; any other fails the
        // response with a CodecNotFoundException, which the caller can only answer with a 500 (found by the soak).
        services.Configure<Orleans.Serialization.ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
        services.Configure<AccountOptions>(configuration.GetSection("TechTransfer:Accounts"));
        services.AddKeyedSingleton<IGrainStorageSerializer, StateJsonSerializer>(StateJsonSerializer.Key);
        services.Configure<MatchingOptions>(configuration.GetSection("TechTransfer:Matching"));
        services.AddSearchReplica();
        services.TryAddSingleton<MarketSearch>();
        services.AddPlacementDirector<NamedSiloPlacement, NamedSiloPlacementDirector>();
        services.TryAddSingleton<ListingMatcher>();
        services.AddHostedService<MatchOutbox>();
        services.TryAddSingleton<MatchPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<MatchPruner>());
        services.TryAddSingleton<Subscriptions.SubscriptionMatcher>();
        services.TryAddSingleton<Subscriptions.SubscriptionStore>();
        services.AddHostedService<Subscriptions.SubscriptionOutbox>();
        services.TryAddSingleton<Notifications.Notifier>();
        services.TryAddSingleton<Notifications.NotificationLog>();
        services.TryAddSingleton<Deals.DealProjection>();
        services.TryAddSingleton<Contracts.ContractProjection>();
        services.TryAddSingleton<Evaluations.EvaluationProjection>();
        services.Configure<Valuation.ValuationOptions>(configuration.GetSection("TechTransfer:Valuation"));
        services.TryAddSingleton<Valuation.Valuer>();
        services.TryAddSingleton<Reputation.CreditRecords>();
        var deals = configuration.GetSection("TechTransfer:Deals");
        services.Configure<Deals.DealOptions>(deals);
        services.TryAddSingleton<Trades.TradeProjection>();
        services.TryAddSingleton<Auctions.AuctionBidLog>();
        var auctions = configuration.GetSection("TechTransfer:Auctions");
        services.Configure<Auctions.AuctionOptions>(auctions);
        var listings = configuration.GetSection(ListingOptions.Section);
        services.Configure<ListingOptions>(listings);
        // Production checks deals every few hours and auctions every minute; a test may check every second, below
        // Orleans' one-minute floor.
        TimeSpan?[] periods = [deals.GetValue<TimeSpan?>("StaleCheckEvery"), auctions.GetValue<TimeSpan?>("ReminderPeriod"),
            listings.GetValue<TimeSpan?>("CheckPeriod")];
        if (periods.OfType<TimeSpan>().Where(p => p < TimeSpan.FromMinutes(1)).DefaultIfEmpty().Min() is var every && every > TimeSpan.Zero)
            services.Configure<Orleans.Hosting.ReminderOptions>(o => o.MinimumReminderPeriod = every);
        return services;
    }
}
