using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;

namespace TechTransfer.Hosting;

/// <summary>
/// Behind a load balancer every request comes from the balancer's address, so the per-IP rate limits and the
/// sign-in throttle would put every user in one bucket. The balancers' networks are listed in
/// <c>TechTransfer:TrustedProxies</c> (CIDR, e.g. <c>10.0.0.0/8</c>); from those, and only those, the client address
/// is taken from <c>X-Forwarded-For</c> (and the scheme from <c>X-Forwarded-Proto</c>). Nothing listed: the header
/// is ignored, so a client cannot pick its own bucket. ASP.NET's own default (trust loopback) is cleared.
/// </summary>
public static class TrustedProxies
{
    public const string Key = "TechTransfer:TrustedProxies";

    public static void AddTrustedProxies(this WebApplicationBuilder builder)
    {
        var networks = Networks(builder.Configuration);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var network in networks)
            {
                if (!IPNetwork.TryParse(network.Trim(), out var parsed))
                    throw new InvalidOperationException($"{Key}: '{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8).");
                options.KnownIPNetworks.Add(parsed);
            }
        });
    }

    /// <summary>
    /// First in the pipeline, so rate limits, sign-in throttling and logs see the client's address. Not at all when
    /// no proxy is listed: with both lists empty the middleware would trust every sender.
    /// </summary>
    public static void UseTrustedProxies(this WebApplication app)
    {
        if (Networks(app.Configuration).Length > 0) app.UseForwardedHeaders();
    }

    // An empty entry is "none" (docker-compose passes an unset variable as "").
    static string[] Networks(IConfiguration configuration) =>
        (configuration.GetSection(Key).Get<string[]>() ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).ToArray();
}
