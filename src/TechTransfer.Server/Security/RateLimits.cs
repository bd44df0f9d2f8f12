using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using TechTransfer.Problems;

namespace TechTransfer.Security;

/// <summary>
/// Two token buckets every request passes: one per client IP (all traffic from it, signed in or not) and one per
/// account (or per IP before sign-in, tighter: that is where password guessing comes from). A refusal is 429
/// with Retry-After and a problem body. Health probes are never limited. Limits per minute come from
/// TechTransfer:RateLimits (PermitsPerMinute, AnonymousPermitsPerMinute, PerIpPermitsPerMinute); a bucket holds
/// half a minute's permits, so short bursts pass.
/// </summary>
public static class RateLimits
{
    /// <summary>
    /// The anonymous application to join (机构入驻申请): besides the anonymous bucket, a source may apply at most
    /// TechTransfer:RateLimits:ApplicationsPerHour times an hour (default 10), since each writes an account and an organization.
    /// </summary>
    public const string Applications = "applications";

    public static void AddTechTransferRateLimits(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("TechTransfer:RateLimits");
        var perAccount = section.GetValue("PermitsPerMinute", 600);
        var anonymous = section.GetValue("AnonymousPermitsPerMinute", 120);
        var perIp = section.GetValue("PerIpPermitsPerMinute", 3000);
        var applications = section.GetValue("ApplicationsPerHour", 10);
        builder.Services.AddSingleton(new HubRateLimitFilter(perAccount));
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    RateLimitPartition.GetTokenBucketLimiter("ip:" + http.Connection.RemoteIpAddress, _ => Bucket(perIp))),
                PartitionedRateLimiter.Create<HttpContext, string>(http => http.User.Actor() is { } actor
                    ? RateLimitPartition.GetTokenBucketLimiter("acct:" + actor.AccountId, _ => Bucket(perAccount))
                    : RateLimitPartition.GetTokenBucketLimiter("anon:" + http.Connection.RemoteIpAddress, _ => Bucket(anonymous))));
            options.AddPolicy(Applications, http => RateLimitPartition.GetFixedWindowLimiter("apply:" + http.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, applications), Window = TimeSpan.FromHours(1), QueueLimit = 0 }));
            options.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter =
                    Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await ProblemResults.Create(ProblemCodes.RateLimited).ExecuteAsync(context.HttpContext);
            };
        });
    }

    // Refilled every second, or for fewer than 60 a minute one permit every 60/n seconds.
    static TokenBucketRateLimiterOptions Bucket(int permitsPerMinute)
    {
        permitsPerMinute = Math.Max(1, permitsPerMinute);
        return new()
        {
            TokenLimit = Math.Max(1, permitsPerMinute / 2),
            TokensPerPeriod = Math.Max(1, permitsPerMinute / 60),
            ReplenishmentPeriod = permitsPerMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / permitsPerMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    /// <summary>Hub method calls bypass the HTTP pipeline: the same per-account budget applies to them, separately.</summary>
    public sealed class HubRateLimitFilter(int permitsPerMinute) : IHubFilter, IDisposable
    {
        readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(account =>
            RateLimitPartition.GetTokenBucketLimiter(account, _ => Bucket(permitsPerMinute)));

        public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
        {
            var account = invocation.Context.User?.Actor()?.AccountId ?? invocation.Context.ConnectionId;
            using var lease = limiter.AttemptAcquire(account);
            if (!lease.IsAcquired) throw new HubException("rate-limited: 请求过于频繁，请稍后再试 / Too many requests; slow down and retry later");
            return await next(invocation);
        }

        public void Dispose() => limiter.Dispose();
    }
}
