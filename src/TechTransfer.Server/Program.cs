using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.SignalR;
using TechTransfer.Achievements;
using TechTransfer.Auctions;
using TechTransfer.Contracts;
using TechTransfer.Database;
using TechTransfer.Deals;
using TechTransfer.Evaluations;
using TechTransfer.Demands;
using TechTransfer.Demo;
using TechTransfer.FixedPriceListings;
using TechTransfer.Health;
using TechTransfer.Idempotency;
using TechTransfer.Hosting;
using TechTransfer.Imports;
using TechTransfer.Network;
using TechTransfer.Organizations;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Reputation;
using TechTransfer.Search;
using TechTransfer.Security;
using TechTransfer.Storage;
using TechTransfer.Subscriptions;
using TechTransfer.Telemetry;
using TechTransfer.Tenders;
using TechTransfer.Trades;
using TechTransfer.Valuation;

var builder = WebApplication.CreateBuilder(args);
SiloConfig.AddTo(builder);

var connectionString = GrainServices.ConnectionString(builder.Configuration);
await SiloConfig.MigrateWithRetryAsync(connectionString);
Console.WriteLine($"database: connection budget {await ConnectionBudget.ApplyAsync(builder.Configuration, GrainServices.ConnectionName)}");
builder.AddTechTransferAuth(await TokenIssuer.LoadSigningKeyAsync(connectionString));
builder.AddTrustedProxies();
builder.AddTechTransferRateLimits();
builder.AddTechTransferTelemetry();

// Hosted services stop in reverse order of registration: the ones that call grains (the match outbox, the hub's
// relay) are registered after the silo, so they stop while it still answers their calls.
// The search replica is registered first: it loads while the silo joins the cluster, so a restarted host serves sooner.
builder.Services.AddSearchReplica();
// Providers come from the "Orleans" section of silo-config. In Kubernetes (deploy/kubernetes) the silo takes its name,
// address and cluster from its pod, and removes the membership rows of pods that are gone (Orleans:Kubernetes).
builder.Host.UseOrleans(silo =>
{
    if (builder.Configuration.GetValue<bool>("Orleans:Kubernetes")) silo.UseKubernetesHosting();
});
builder.Services.AddGrainServices(builder.Configuration);
builder.Services.AddSingleton<CatalogueImporter>();
builder.Services.AddSingleton<DemoHistory>();
builder.Services.AddHostedService<DemoSeeder>();
builder.Services.AddHostedService<AdminBootstrap>();
builder.Services.AddSingleton<IdempotencyStore>();
builder.Services.AddHostedService<IdempotencySweeper>();
builder.Services.AddSignalR(o => o.AddFilter<RateLimits.HubRateLimitFilter>()).AddJsonProtocol(o => TechTransferJson.Configure(o.PayloadSerializerOptions));
builder.Services.AddSingleton<InboxRelay>();
builder.Services.AddSingleton<NotificationCentre>();
builder.Services.AddSingleton<TechTransfer.Names.DisplayNames>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<InboxRelay>());
builder.Services.AddOpenApi(o => o.AddOperationTransformer<ProblemResponsesInOpenApi>().AddOperationTransformer<TechTransfer.Names.NamesInOpenApi.Transformer>()); // docs/api.md
builder.Services.Configure<JsonOptions>(o => TechTransferJson.Configure(o.SerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // so bad JSON becomes a problem, too
builder.Services.AddProblemDetails();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);

var app = builder.Build();
app.UseMiddleware<StoppingGate>(); // first: a stopping host takes no new request, not even a hub's reconnect
app.UseTrustedProxies();
app.UseProblemResults();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseMiddleware<CrossOriginGuard>(); // before authentication: a forged request is refused before anything reads its cookie
app.UseMiddleware<LoadShedding>(); // before authentication: a refusal costs no call to the account grain
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UsePasswordChangeGate(); // a temporary password's token opens nothing but the password change
app.UseMiddleware<IdempotencyMiddleware>();
app.MapOpenApi();
app.MapHubDocument(); // /asyncapi.json: the hub's methods and events
app.MapHealth();
app.MapMetrics();
app.MapAuth();
app.MapAchievements();
app.MapDemands();
app.MapRegions();
app.MapOrganizations();
app.MapImports();
app.MapSearch();
app.MapSubscriptions();
app.MapReindex();
app.MapContracts();
app.MapNotifications();
app.MapDeals();
app.MapTrades();
app.MapAuctions();
app.MapFixedPriceListings();
app.MapTenders();
app.MapValuation();
app.MapReputation();
app.MapEvaluations();
app.MapHub<NetworkHub>("/hubs/network");
app.Run();

public partial class Program;
