using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;
using TechTransfer.Problems;

namespace TechTransfer.Security;

/// <summary>
/// Cross-site request forgery: a browser attaches the sign-in cookie to requests that any page sends, and
/// SameSite=Strict does not stop a page on another port of the same host (same site, other origin). So:
/// <list type="bullet">
/// <item>a state-changing request (anything but GET/HEAD/OPTIONS) with a body must declare JSON or a type its
/// endpoint declares (the import's JSON lines), else 415: a form can only send form types and text/plain;</item>
/// <item>a request authenticated by the cookie that changes state, or opens the hub (negotiate, WebSocket,
/// SSE, long polling), must come from the host's own origin or one in TechTransfer:Security:AllowedOrigins,
/// by Origin or, when a browser sends none, by Referer; else 403 cross-origin.</item>
/// </list>
/// A Bearer header or the hub's access_token is never sent by a browser on its own, so those are not checked.
/// </summary>
public sealed class CrossOriginGuard(RequestDelegate next, IConfiguration configuration)
{
    readonly HashSet<string> allowed = new(
        (configuration.GetSection("TechTransfer:Security:AllowedOrigins").Get<string[]>() ?? [])
            .Select(o => OriginOf(o) ?? throw new InvalidOperationException($"TechTransfer:Security:AllowedOrigins: '{o}' is not an http(s) origin")),
        StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var changesState = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        var hub = request.Path.StartsWithSegments("/hubs");
        if (changesState && !hub && HasBody(http) && http.GetEndpoint() is { } endpoint && !AcceptedType(request, endpoint))
            return ProblemResults.Create(ProblemCodes.UnsupportedMediaType).ExecuteAsync(http);
        if ((changesState || hub) && AuthSetup.SourceOf(request) == AuthSetup.TokenSource.Cookie && !FromAllowedOrigin(request))
            return ProblemResults.Create(ProblemCodes.CrossOrigin).ExecuteAsync(http);
        return next(http);
    }

    static bool HasBody(HttpContext http) =>
        http.Request.ContentLength > 0
        || (http.Request.ContentLength is null && http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    static bool AcceptedType(HttpRequest request, Endpoint endpoint)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media) || media.MediaType.Value is not { } type) return false;
        if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            return true;
        var declared = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [];
        return declared.Any(d => MediaTypeHeaderValue.TryParse(d, out var m) && m.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase));
    }

    bool FromAllowedOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) origin = request.Headers.Referer.ToString();
        // A request with neither (or Origin "null", from a sandboxed or opaque page) cannot show where it comes from.
        if (OriginOf(origin) is not { } from) return false;
        return string.Equals(from, OriginOf($"{request.Scheme}://{request.Host.Value}"), StringComparison.OrdinalIgnoreCase) || allowed.Contains(from);
    }

    // "scheme://host[:port]" with the default port left out, as browsers write Origin.
    static string? OriginOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
