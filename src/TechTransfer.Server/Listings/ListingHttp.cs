using TechTransfer.Problems;

namespace TechTransfer.Listings;

/// <summary>HTTP details shared by the achievement and demand endpoints: versions as ETags, and paging.</summary>
public static class ListingHttp
{
    public const int MaxPageSize = 100;

    public static string ETag(int version) => $"\"{version}\"";

    /// <summary>The version an If-Match header names; 428 when it is missing, 412 when it is not a version at all.</summary>
    public static int IfMatchVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0) throw new ProblemException(ProblemCodes.VersionRequired);
        if (header.StartsWith("W/", StringComparison.Ordinal)) header = header[2..];
        return int.TryParse(header.Trim('"'), out var version) && version > 0
            ? version
            : throw new ProblemException(ProblemCodes.VersionMismatch);
    }

    /// <summary>Writes the ETag and returns the body.</summary>
    public static IResult WithETag<T>(HttpContext http, T body, int version)
    {
        http.Response.Headers.ETag = ETag(version);
        return TypedResults.Ok(body);
    }

    /// <summary>How deep any list or search may be paged: beyond this the query must be narrowed.</summary>
    public const int MaxResults = 1_000;

    /// <summary>
    /// The page and size of a listing or search request: size 1–100, and never past the first <see cref="MaxResults"/>
    /// results, so no request (anonymous ones included) makes Lucene collect or PostgreSQL skip more than that
    /// (page 100000 of size 100 asked Lucene for its top 10,000,000).
    /// </summary>
    public static (int Page, int Size) Paging(int? page, int? size)
    {
        var v = new Validation();
        if (page < 1) v.Fail("page", "positive");
        v.Range("size", size ?? 20, 1, MaxPageSize);
        v.ThrowIfInvalid();
        var (p, s) = (page ?? 1, size ?? 20);
        if ((long)p * s > MaxResults) throw new ProblemException(ProblemCodes.PageTooDeep);
        return (p, s);
    }

    public static string? Status<TStatus>(string? status) where TStatus : struct, Enum
    {
        if (string.IsNullOrEmpty(status)) return null;
        var v = new Validation();
        var parsed = v.Enum<TStatus>("status", status);
        v.ThrowIfInvalid();
        return parsed.ToString();
    }
}
