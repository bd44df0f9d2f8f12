using System.Security.Cryptography;
using System.Text;
using TechTransfer.Problems;

namespace TechTransfer.Health;

/// <summary>
/// /metrics and the detailed /health are for operators: they name connection pools with host, database and user,
/// every route, the silo's address and memory, and the detailed health costs a database query. They answer only a
/// request bearing the operator token (<c>TechTransfer:Operations:Token</c>, e.g. a Prometheus scrape's
/// <c>authorization: credentials</c>); without a configured token they are closed to everyone. Anyone else gets
/// 404, as if they were not there. /health/live and /health/ready stay open and say only live / ready.
/// </summary>
public sealed class OperatorAccess(IConfiguration configuration) : IEndpointFilter
{
    public const string TokenKey = "TechTransfer:Operations:Token";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        IsOperator(context.HttpContext, configuration) ? next(context) : ValueTask.FromResult<object?>(ProblemResults.Create(ProblemCodes.NotFound));

    public static bool IsOperator(HttpContext http, IConfiguration configuration)
    {
        var token = configuration[TokenKey];
        if (string.IsNullOrEmpty(token)) return false;
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token));
    }
}
