using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Imports;

public static class ImportEndpoints
{
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Lines one request may hold: 20,000 took about a minute of writes in one request. The CLI sends 500 per
    /// request and numbers them with firstLine; a larger file is sent in chunks.
    /// </summary>
    public const int MaxLines = 1_000;

    public static void MapImports(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/imports", ImportAsync).WithTags("Imports").RequireAuthorization()
            .Accepts<string>("text/plain", "application/x-ndjson").Produces<ImportReport>() // text first: generated clients send the text as it is
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes));
    }

    /// <summary>
    /// Body: a JSONL catalogue (one achievement create body with its externalId per line).
    /// firstLine lets a client that sends a large file in chunks get file line numbers back.
    /// </summary>
    static async Task<IResult> ImportAsync(HttpContext http, CatalogueImporter importer, bool? publish, int? firstLine, CancellationToken cancellation)
    {
        var actor = http.User.RequiredActor();
        using var reader = new StreamReader(http.Request.Body);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            if (lines.Count == MaxLines) throw new ProblemException(ProblemCodes.ImportTooLarge);
            lines.Add(line);
        }
        if (lines.Count == 0) throw ProblemException.Invalid([new FieldError("body", "required")]);
        return TypedResults.Ok(await importer.ImportAsync(actor, lines, publish ?? false, Math.Max(1, firstLine ?? 1), cancellation));
    }
}
