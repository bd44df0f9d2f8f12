using Microsoft.Extensions.Options;
using TechTransfer.Accounts;
using TechTransfer.Hosting;
using TechTransfer.Organizations;
using TechTransfer.Problems;
using TechTransfer.Vocabulary;

namespace TechTransfer.Security;

/// <summary>
/// Outside demo mode there is no well-known password: the first national admin (TechTransfer:Accounts:BootstrapAdmin,
/// "national-admin" unless configured) is created from TechTransfer:AdminPassword (an environment secret), once.
/// Nobody else can take that name through the API (<see cref="ReservedAccountNames"/>); if an account of another
/// kind holds it anyway (older data, a changed setting), the host stops with a critical log and exit code 1
/// rather than run without the national admin it was told to have.
/// </summary>
public sealed class AdminBootstrap(IGrainFactory grains, IConfiguration configuration, IOptions<AccountOptions> accounts,
    IHostApplicationLifetime lifetime, ILogger<AdminBootstrap> logger) : BackgroundService
{
    const string NationalOrganization = "org-torch";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (configuration["TechTransfer:AdminPassword"] is not { Length: > 0 } password) return;
        if (!await lifetime.WaitForStartAsync(stopping)) return;
        var name = accounts.Value.BootstrapAdmin.Trim().ToLowerInvariant();
        // A database outage during start-up must not stop the host (a background service's exception does): retry.
        for (var attempt = 1; ; attempt++)
        {
            string? refusal;
            try
            {
                refusal = await EnsureAdminAsync(name, password);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && e is not OperationCanceledException)
            {
                logger.LogWarning(e, "National admin bootstrap failed (attempt {Attempt}); trying again in 2 s", attempt);
                await Task.Delay(TimeSpan.FromSeconds(2), stopping);
                continue;
            }
            if (refusal is not null)
            {
                logger.LogCritical("The host refuses to run: {Refusal}. Rename or remove that account, or set TechTransfer:Accounts:BootstrapAdmin to a free name.", refusal);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
            }
            return;
        }
    }

    /// <summary>Null once the national admin exists; otherwise why it cannot.</summary>
    async Task<string?> EnsureAdminAsync(string name, string password)
    {
        var organization = grains.GetGrain<IOrganizationGrain>(NationalOrganization);
        try
        {
            await organization.RegisterAsync(new("科技部火炬中心", OrganizationKind.National, "北京"));
        }
        catch (ProblemException e) when (e.Code == ProblemCodes.AlreadyExists)
        {
            // Registered before under another name (say by the demo seeder): what matters is that it is the national level.
            var existing = await organization.GetAsync();
            if (existing?.Kind != nameof(OrganizationKind.National)) return $"organization '{NationalOrganization}' is a {existing?.Kind}, not the national level";
        }
        var result = await grains.GetGrain<IAccountGrain>(AccountKeys.Of(name)).CreateBootstrapAdminAsync(
            new AccountProfile("火炬中心管理员", NationalOrganization, OrganizationKind.National, Role.NationalAdmin), password);
        if (result.Created) logger.LogInformation("Created the national admin account '{Account}'", name);
        var holder = result.Holder;
        return holder is { Role: Role.NationalAdmin, OrganizationId: NationalOrganization }
            ? null
            : $"the bootstrap admin name '{name}' is held by an account that is not the national admin ({holder.Role} of {holder.OrganizationId})";
    }
}
