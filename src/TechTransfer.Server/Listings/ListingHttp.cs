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

    public static (int Page, int Size) Paging(int? page, int? size)
    {
        var v = new Validation();
        v.Range("page", page ?? 1, 1, 100_000);
        v.Range("size", size ?? 20, 1, MaxPageSize);
        v.ThrowIfInvalid();
        return (page ?? 1, size ?? 20);
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
