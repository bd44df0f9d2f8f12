using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using TechTransfer.Accounts;

namespace TechTransfer.Security;

/// <summary>
/// Sign-out and a password change raise the account's token version; a token is honoured only while its "tv"
/// claim equals it. Checked on every authenticated request (JwtBearer's OnTokenValidated: the Bearer header, the
/// cookie and the hub's access_token alike) and before every hub method call, so a hub connection opened with a
/// revoked token is not served past its next call. One call to the account grain, which answers from memory.
/// </summary>
public static class TokenRevocation
{
    public static async Task<bool> IsCurrentAsync(IGrainFactory grains, ClaimsPrincipal user)
    {
        // "sub" comes from a signed token: an account this platform issued a token for, not a made-up key.
        var account = user.FindFirstValue("sub");
        if (account is null || user.TokenVersion() is not { } version) return false;
        return await grains.GetGrain<IAccountGrain>(account).GetTokenVersionAsync() == version;
    }

    public sealed class HubFilter(IGrainFactory grains) : IHubFilter
    {
        public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
        {
            if (invocation.Context.User is not { } user || !await IsCurrentAsync(grains, user))
            {
                invocation.Context.Abort(); // and no more pushes on this connection
                throw new HubException("unauthorized: 登录已失效，请重新登录 / The sign-in has ended; sign in again");
            }
            return await next(invocation);
        }
    }
}
