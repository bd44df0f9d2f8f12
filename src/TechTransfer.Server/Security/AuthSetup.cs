using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.SignalR;
using Microsoft.IdentityModel.Tokens;
using TechTransfer.Problems;

namespace TechTransfer.Security;

public static class AuthSetup
{
    /// <summary>Where a request's token comes from; only a cookie is sent by a browser on its own (<see cref="CrossOriginGuard"/>).</summary>
    public enum TokenSource { None, Header, Query, Cookie }

    public static TokenSource SourceOf(HttpRequest request) =>
        request.Headers.Authorization.Count > 0 ? TokenSource.Header
        : request.Path.StartsWithSegments("/hubs") && request.Query.ContainsKey("access_token") ? TokenSource.Query
        : request.Cookies.ContainsKey(TokenIssuer.CookieName) ? TokenSource.Cookie
        : TokenSource.None;

    /// <summary>One scheme for all callers: the Bearer header (API), access_token (WebSockets) or the portal cookie.</summary>
    public static void AddTechTransferAuth(this WebApplicationBuilder builder, SymmetricSecurityKey signingKey)
    {
        var lifetime = builder.Configuration.GetValue("TechTransfer:Tokens:Lifetime", TimeSpan.FromHours(8));
        builder.Services.AddSingleton(sp => new TokenIssuer(signingKey, sp.GetRequiredService<TimeProvider>(), lifetime));
        builder.Services.AddSingleton<TokenRevocation.HubFilter>();
        builder.Services.Configure<HubOptions>(o => o.AddFilter<TokenRevocation.HubFilter>());
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = TokenIssuer.Issuer,
                ValidAudience = TokenIssuer.Issuer,
                IssuerSigningKey = signingKey,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "name",
                RoleClaimType = "role",
            };
            options.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    var request = context.Request;
                    context.Token = SourceOf(request) switch
                    {
                        TokenSource.Query => request.Query["access_token"].ToString(),
                        TokenSource.Cookie => request.Cookies[TokenIssuer.CookieName],
                        _ => context.Token, // the handler reads the Authorization header itself
                    };
                    return Task.CompletedTask;
                },
                OnTokenValidated = async context =>
                {
                    var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
                    if (!await TokenRevocation.IsCurrentAsync(grains, context.Principal!)) context.Fail("The token was revoked");
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    await ProblemResults.Create(ProblemCodes.Unauthorized).ExecuteAsync(context.HttpContext);
                },
                OnForbidden = context => ProblemResults.Create(ProblemCodes.Forbidden).ExecuteAsync(context.HttpContext),
            };
        });
    }
}
