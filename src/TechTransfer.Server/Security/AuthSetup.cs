using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using TechTransfer.Problems;

namespace TechTransfer.Security;

public static class AuthSetup
{
    /// <summary>One scheme for all callers: the Bearer header (API), access_token (WebSockets) or the portal cookie.</summary>
    public static void AddTechTransferAuth(this WebApplicationBuilder builder, SymmetricSecurityKey signingKey)
    {
        var lifetime = builder.Configuration.GetValue("TechTransfer:Tokens:Lifetime", TimeSpan.FromHours(8));
        builder.Services.AddSingleton(sp => new TokenIssuer(signingKey, sp.GetRequiredService<TimeProvider>(), lifetime));
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
                    if (request.Headers.Authorization.Count == 0)
                    {
                        context.Token = request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var query)
                            ? query.ToString()
                            : request.Cookies[TokenIssuer.CookieName];
                    }
                    return Task.CompletedTask;
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
