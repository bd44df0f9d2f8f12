using TechTransfer.Accounts;
using TechTransfer.Hosting;
using TechTransfer.Organizations;
using TechTransfer.Problems;
using TechTransfer.Vocabulary;

namespace TechTransfer.Security;

/// <summary>
/// Outside demo mode there is no well-known password: the first national admin ("national-admin") is created
/// from TechTransfer:AdminPassword (an environment secret), once.
/// </summary>
public sealed class AdminBootstrap(IGrainFactory grains, IConfiguration configuration, IHostApplicationLifetime lifetime,
    ILogger<AdminBootstrap> logger) : BackgroundService
{
    public const string Account = "national-admin";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (configuration["TechTransfer:AdminPassword"] is not { Length: > 0 } password) return;
        if (!await lifetime.WaitForStartAsync(stopping)) return;
        // A database outage during start-up must not stop the host (a background service's exception does): retry.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureAdminAsync(password);
                return;
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && e is not OperationCanceledException)
            {
                logger.LogWarning(e, "National admin bootstrap failed (attempt {Attempt}); trying again in 2 s", attempt);
                await Task.Delay(TimeSpan.FromSeconds(2), stopping);
            }
        }
    }

    async Task EnsureAdminAsync(string password)
    {
        await grains.GetGrain<IOrganizationGrain>("org-torch").RegisterAsync(new("科技部火炬中心", OrganizationKind.National, "北京"));
        try
        {
            await grains.GetGrain<IAccountGrain>(AccountKeys.Of(Account)).CreateAsync(
                new AccountProfile("火炬中心管理员", "org-torch", OrganizationKind.National, Role.NationalAdmin), password);
            logger.LogInformation("Created the national admin account '{Account}'", Account);
        }
        catch (ProblemException e) when (e.Code == ProblemCodes.AlreadyExists)
        {
        }
    }
}
