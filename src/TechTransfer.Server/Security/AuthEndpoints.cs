using TechTransfer.Accounts;
using TechTransfer.Problems;

namespace TechTransfer.Security;

public static class AuthEndpoints
{
    public sealed record LoginRequest(string? Account, string? Password);

    public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, MeResponse Me);

    public sealed record MeResponse(string AccountId, string DisplayName, string OrganizationId, string OrganizationKind, string Role, string? RegionCode);

    public static void MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync);
        group.MapPost("/logout", Logout);
        group.MapGet("/me", (HttpContext http) => TypedResults.Ok(Me(http.User.RequiredActor(), http.User.DisplayName())))
            .RequireAuthorization();
    }

    static async Task<IResult> LoginAsync(LoginRequest request, IGrainFactory grains, TokenIssuer tokens, TimeProvider clock, HttpContext http)
    {
        var v = new Validation();
        var account = v.Text("account", request.Account, 64);
        var password = v.Text("password", request.Password, 128);
        v.ThrowIfInvalid();

        var result = await grains.GetGrain<IAccountGrain>(AccountKeys.Of(account!)).SignInAsync(password!);
        if (result.LockedUntil is not null) throw new ProblemException(ProblemCodes.LockedOut);
        if (!result.Succeeded) throw new ProblemException(ProblemCodes.LoginFailed);

        var token = tokens.Issue(result.Actor!, result.DisplayName!);
        var expires = clock.GetUtcNow() + tokens.Lifetime;
        http.Response.Cookies.Append(TokenIssuer.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Expires = expires,
        });
        return TypedResults.Ok(new LoginResponse(token, expires, Me(result.Actor!, result.DisplayName!)));
    }

    static IResult Logout(HttpContext http)
    {
        http.Response.Cookies.Delete(TokenIssuer.CookieName);
        return TypedResults.NoContent();
    }

    static MeResponse Me(Actor actor, string displayName) => new(actor.AccountId, displayName, actor.OrganizationId,
        actor.OrganizationKind.ToString(), actor.Role.ToString(), actor.RegionCode);
}
