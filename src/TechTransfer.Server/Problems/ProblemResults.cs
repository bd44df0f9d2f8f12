using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;
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
        // The JSON body reader throws (a 500) on a charset it cannot decode, e.g. "application/json; charset=utf-7":
        // such a request is refused before any endpoint reads it.
        app.Use((context, next) =>
            MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var media) && media.Charset.HasValue && !IsKnownCharset(media.Charset.Value!)
                ? Create(ProblemCodes.UnsupportedMediaType).ExecuteAsync(context)
                : next(context));
        app.UseStatusCodePages(async status =>
        {
            var code = status.HttpContext.Response.StatusCode switch
            {
                401 => ProblemCodes.Unauthorized,
                403 => ProblemCodes.Forbidden,
                404 => ProblemCodes.NotFound,
                413 => ProblemCodes.TooLarge,
                415 => ProblemCodes.UnsupportedMediaType,
                >= 400 and < 500 => ProblemCodes.BadRequest,
                _ => ProblemCodes.Internal,
            };
            await Create(code).ExecuteAsync(status.HttpContext);
        });
    }

    static bool IsKnownCharset(string charset)
    {
        try
        {
            Encoding.GetEncoding(charset.Trim('"'));
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    static IResult? Classify(Exception? error) => error switch
    {
        ProblemException problem => From(problem),
        BadHttpRequestException { StatusCode: 413 } => Create(ProblemCodes.TooLarge),
        BadHttpRequestException { InnerException: JsonException json } =>
            Create(ProblemCodes.Validation, [FieldError.BadJson(json.Path)]),
        BadHttpRequestException => Create(ProblemCodes.BadRequest),
        // Text PostgreSQL cannot store (a NUL, a broken byte sequence) is the request's fault, not an outage.
        PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter } =>
            Create(ProblemCodes.BadRequest),
        NpgsqlException or TimeoutException or Orleans.Runtime.SiloUnavailableException
            or Orleans.Runtime.OrleansMessageRejectionException or TechTransfer.Matching.SearchUnavailableException => Create(ProblemCodes.Unavailable),
        // A grain activation given up while the cluster reshapes (a silo died, the directory moves): try again.
        OperationCanceledException => Create(ProblemCodes.Unavailable),
        _ when error?.InnerException is ProblemException inner => From(inner),
        _ when IsOutage(error?.InnerException) => Create(ProblemCodes.Unavailable),
        _ => null,
    };

    // Orleans wraps a storage failure ("Error from storage provider … during ReadStateAsync") around the
    // NpgsqlException that caused it: still an outage, still a 503 (found by the soak's PostgreSQL restart).
    static bool IsOutage(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
            if (error is NpgsqlException or TimeoutException or Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException)
                return true;
        return false;
    }
}
