using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using TechTransfer.Problems;

namespace TechTransfer.Problems;

/// <summary>Turns every refusal and failure into an RFC 7807 problem with a zh-CN and an English message.</summary>
public static class ProblemResults
{
    public static IResult From(ProblemException problem) => Create(problem.Code, problem.Errors);

    public static IResult Create(string code, IReadOnlyList<FieldError>? errors = null, string? detail = null)
    {
        var entry = ProblemCatalog.Describe(code);
        var described = (errors ?? []).Select(e =>
        {
            var (zh, en) = ProblemCatalog.Describe(e);
            return new { field = e.Field, rule = e.Rule, zh, en };
        }).ToArray();
        var extensions = new Dictionary<string, object?>
        {
            ["code"] = code,
            ["titleZh"] = entry.Zh,
            ["detailZh"] = described.Length > 0 ? string.Join("；", described.Select(d => d.zh)) : entry.Zh,
        };
        if (described.Length > 0) extensions["errors"] = described;
        return TypedResults.Problem(
            detail: detail ?? (described.Length > 0 ? string.Join("; ", described.Select(d => d.en)) : entry.En),
            statusCode: entry.Status,
            title: entry.En,
            type: $"urn:techtransfer:problem:{code}",
            extensions: extensions);
    }

    /// <summary>The global exception handler: known refusals keep their status; a database outage is a fast 503.</summary>
    public static void UseProblemResults(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var result = Classify(error);
                if (result is null)
                {
                    app.Logger.LogError(error, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
                    result = Create(ProblemCodes.Internal);
                }
                else if (error is not ProblemException and not BadHttpRequestException)
                    app.Logger.LogWarning("{Method} {Path} answered 503: {Error}", context.Request.Method, context.Request.Path, error?.Message);
                await result.ExecuteAsync(context);
            },
            // A refusal (validation, permission, conflict) is an answer, not an error: no error log or error metric.
            // What is logged is logged above, once.
            SuppressDiagnosticsCallback = _ => true,
        });
        app.UseStatusCodePages(async status =>
        {
            var code = status.HttpContext.Response.StatusCode switch
            {
                401 => ProblemCodes.Unauthorized,
                403 => ProblemCodes.Forbidden,
                404 => ProblemCodes.NotFound,
                413 => ProblemCodes.TooLarge,
                >= 400 and < 500 => ProblemCodes.BadRequest,
                _ => ProblemCodes.Internal,
            };
            await Create(code).ExecuteAsync(status.HttpContext);
        });
    }

    static IResult? Classify(Exception? error) => error switch
    {
        ProblemException problem => From(problem),
        BadHttpRequestException { StatusCode: 413 } => Create(ProblemCodes.TooLarge),
        BadHttpRequestException { InnerException: JsonException json } =>
            Create(ProblemCodes.Validation, [FieldError.BadJson(json.Path)]),
        BadHttpRequestException => Create(ProblemCodes.BadRequest),
        NpgsqlException or TimeoutException or Orleans.Runtime.SiloUnavailableException
            or Orleans.Runtime.OrleansMessageRejectionException => Create(ProblemCodes.Unavailable),
        _ when error?.InnerException is ProblemException inner => From(inner),
        _ => null,
    };
}
