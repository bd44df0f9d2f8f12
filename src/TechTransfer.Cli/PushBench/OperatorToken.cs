using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace TechTransfer.PushBench;

/// <summary>
/// The token that opens a host's /metrics and detailed /health (Health/OperatorAccess.cs): the environment's
/// <c>TechTransfer__Operations__Token</c> (to watch a host someone else started), else one made for this run and
/// given to every host the CLI starts.
/// </summary>
public static class OperatorToken
{
    public const string EnvironmentVariable = "TechTransfer__Operations__Token";

    public static string Value { get; } =
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } token ? token : Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    /// <summary>An HTTP client for a host's operator endpoints.</summary>
    public static HttpClient Client(Uri? baseAddress, TimeSpan timeout)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = timeout };
        if (baseAddress is not null) http.BaseAddress = baseAddress;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Value);
        return http;
    }
}
