namespace TechTransfer.Problems;

/// <summary>
/// A request the domain refuses. Thrown by grains and endpoints alike, crosses the grain boundary,
/// and becomes an RFC 7807 problem with a Chinese and an English message from <see cref="ProblemCatalog"/>.
/// </summary>
[GenerateSerializer, Alias("tt.ProblemException")]
public sealed class ProblemException(string code, IReadOnlyList<FieldError>? errors = null)
    : Exception(ProblemCatalog.Describe(code).En)
{
    [Id(0)] public string Code { get; } = code;
    [Id(1)] public FieldError[] Errors { get; } = errors?.ToArray() ?? [];

    public static ProblemException Invalid(IReadOnlyList<FieldError> errors) => new(ProblemCodes.Validation, errors);
}

/// <summary>One failed rule on one field of a request body, e.g. ("title", "required").</summary>
[GenerateSerializer, Immutable, Alias("tt.FieldError")]
public sealed record FieldError(string Field, string Rule, string? Argument = null)
{
    /// <summary>A body that is not the JSON it should be: "$.ipRights[0].kind" names field "ipRights[0].kind".</summary>
    public static FieldError BadJson(string? path) =>
        new(string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.'), "invalid-format");
}
