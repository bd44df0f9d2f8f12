using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TechTransfer.Accounts;
using TechTransfer.Problems;

namespace TechTransfer.Security;

public static class AuthEndpoints
{
    public sealed record LoginRequest(string? Account, string? Password);

    public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

    public sealed record ProfileChangeRequest(string? DisplayName);

    public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, MeResponse Me);

    /// <summary>MustChangePassword: signed in with a temporary password, which must be changed before anything else.</summary>
    public sealed record MeResponse(string AccountId, string DisplayName, string OrganizationId, string OrganizationKind, string Role, string? RegionCode,
        bool MustChangePassword = false);

    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).Produces<LoginResponse>();
        group.MapPost("/logout", LogoutAsync).Produces(StatusCodes.Status204NoContent);
        group.MapPost("/password", ChangePasswordAsync).RequireAuthorization().Produces<LoginResponse>();
        group.MapGet("/me", (HttpContext http) => TypedResults.Ok(Me(http.User.RequiredActor(), http.User.DisplayName(), http.User.MustChangePassword())))
            .RequireAuthorization();
        group.MapPut("/me", ChangeProfileAsync).RequireAuthorization().Produces<LoginResponse>();
    }

    /// <summary>
    /// A token issued for a temporary password (after a reset or an invitation) opens only sign-in, sign-out, "who am I"
    /// and the password change: every other API call and the hub answer 403 password-change-required.
    /// </summary>
    public static IApplicationBuilder UsePasswordChangeGate(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var path = http.Request.Path;
        var open = path.StartsWithSegments("/api/auth/login") || path.StartsWithSegments("/api/auth/logout")
            || path.StartsWithSegments("/api/auth/password") || (path.StartsWithSegments("/api/auth/me") && HttpMethods.IsGet(http.Request.Method));
        if (!open && (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs")) && http.User.MustChangePassword())
        {
            await ProblemResults.Create(ProblemCodes.PasswordChangeRequired).ExecuteAsync(http);
            return;
        }
        await next(http);
    });

    /// <summary>The name people see for the signed-in account; the answer carries a token with the new name.</summary>
    static async Task<IResult> ChangeProfileAsync(ProfileChangeRequest request, IGrainFactory grains, TokenIssuer tokens, TimeProvider clock, HttpContext http)
    {
        var actor = http.User.RequiredActor();
        var v = new Validation();
        var displayName = v.Text("displayName", request.DisplayName, 50);
        v.ThrowIfInvalid();
        return SignedIn(http, await grains.GetGrain<IAccountGrain>(actor.AccountId).SetDisplayNameAsync(displayName!), tokens, clock);
    }

    static async Task<IResult> LoginAsync(LoginRequest request, IGrainFactory grains, TokenIssuer tokens, TimeProvider clock, HttpContext http)
    {
        var v = new Validation();
        var account = v.Text("account", request.Account, 64);
        var password = v.Text("password", request.Password, 128);
        v.ThrowIfInvalid();

        var result = await grains.GetGrain<IAccountGrain>(AccountKeys.Of(account!)).SignInAsync(password!, SourceOf(http));
        if (result.WaitUntil is { } until) return Throttled(http, until, clock);
        if (!result.Succeeded) throw new ProblemException(ProblemCodes.LoginFailed);
        return SignedIn(http, result, tokens, clock);
    }

    /// <summary>Ends every session of the account (all its devices): the token version moves on, the cookie goes.</summary>
    static async Task<IResult> LogoutAsync(HttpContext http, IGrainFactory grains)
    {
        if (http.User.Actor() is { } actor) await grains.GetGrain<IAccountGrain>(actor.AccountId).RevokeTokensAsync();
        http.Response.Cookies.Delete(TokenIssuer.CookieName);
        return TypedResults.NoContent();
    }

    /// <summary>Every earlier token stops working; the answer carries a fresh one, so the caller stays signed in.</summary>
    static async Task<IResult> ChangePasswordAsync(PasswordChangeRequest request, IGrainFactory grains, TokenIssuer tokens, TimeProvider clock, HttpContext http)
    {
        var actor = http.User.RequiredActor();
        var v = new Validation();
        var current = v.Text("currentPassword", request.CurrentPassword, 128);
        if (string.IsNullOrEmpty(request.NewPassword)) v.Fail("newPassword", "required");
        else if (request.NewPassword.Length is < 10 or > 128) v.Fail("newPassword", "length", "10–128");
        else if (request.NewPassword == request.CurrentPassword) v.Fail("newPassword", "unchanged");
        v.ThrowIfInvalid();

        var result = await grains.GetGrain<IAccountGrain>(actor.AccountId).ChangePasswordAsync(current!, request.NewPassword!, SourceOf(http));
        if (result.WaitUntil is { } until) return Throttled(http, until, clock);
        if (!result.Succeeded) throw ProblemException.Invalid([new FieldError("currentPassword", "mismatch")]);
        return SignedIn(http, result, tokens, clock);
    }

    static IResult SignedIn(HttpContext http, SignInResult result, TokenIssuer tokens, TimeProvider clock)
    {
        var token = tokens.Issue(result.Actor!, result.DisplayName!, result.TokenVersion, result.MustChangePassword);
        var expires = clock.GetUtcNow() + tokens.Lifetime;
        http.Response.Cookies.Append(TokenIssuer.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Expires = expires,
        });
        return TypedResults.Ok(new LoginResponse(token, expires, Me(result.Actor!, result.DisplayName!, result.MustChangePassword)));
    }

    // Returned, not thrown: the exception handler would drop the Retry-After header.
    static IResult Throttled(HttpContext http, DateTimeOffset until, TimeProvider clock)
    {
        var seconds = Math.Max(1, Math.Ceiling((until - clock.GetUtcNow()).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ProblemResults.Create(ProblemCodes.SignInThrottled);
    }

    /// <summary>
    /// Whom failed sign-ins are counted against: the connection's address (no forwarded header is trusted here),
    /// an IPv6 address by its /64, which one subscriber usually holds whole.
    /// </summary>
    static string SourceOf(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is not { } ip) return "unknown";
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return ip.ToString();
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    static MeResponse Me(Actor actor, string displayName, bool mustChangePassword) => new(actor.AccountId, displayName, actor.OrganizationId,
        actor.OrganizationKind.ToString(), actor.Role.ToString(), actor.RegionCode, mustChangePassword);
}
