using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
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
    public static void AddTechTransferRateLimits(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("TechTransfer:RateLimits");
        var perAccount = section.GetValue("PermitsPerMinute", 600);
        var anonymous = section.GetValue("AnonymousPermitsPerMinute", 120);
        var perIp = section.GetValue("PerIpPermitsPerMinute", 3000);
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http =>
                    RateLimitPartition.GetTokenBucketLimiter("ip:" + http.Connection.RemoteIpAddress, _ => Bucket(perIp))),
                PartitionedRateLimiter.Create<HttpContext, string>(http => http.User.Actor() is { } actor
                    ? RateLimitPartition.GetTokenBucketLimiter("acct:" + actor.AccountId, _ => Bucket(perAccount))
                    : RateLimitPartition.GetTokenBucketLimiter("anon:" + http.Connection.RemoteIpAddress, _ => Bucket(anonymous))));
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
}
