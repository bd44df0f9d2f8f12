using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace TechTransfer.Problems;

/// <summary>
/// Documents on every operation the RFC 7807 problems it can answer (as <see cref="ProblemResults"/> writes them:
/// code, titleZh/detailZh next to the English title/detail, field errors), so a generated client knows them without
/// every endpoint listing them. Which statuses apply follows from what the endpoint is: 400 where it reads a body or
/// a query, 401/403 where it needs a sign-in, 404 where the path names something, 409 where it changes something,
/// 413/415 where it reads a body, 422 on a POST (a reused Idempotency-Key), 412/428 where it takes an If-Match,
/// 429 (rate limits) unless the endpoint is exempt, 503 everywhere (load shedding, outages).
/// </summary>
public sealed class ProblemResponsesInOpenApi : IOpenApiOperationTransformer
{
    public const string SchemaId = "Problem";
    public const string FieldErrorSchemaId = "ProblemFieldError";
    public const string MediaType = "application/problem+json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(FieldErrorSchemaId, FieldErrorSchema());
        document.Components.Schemas.TryAdd(SchemaId, ProblemSchema(document));

        var description = context.Description;
        var method = description.HttpMethod ?? "GET";
        var parameters = description.ParameterDescriptions;
        var readsInput = operation.RequestBody is not null || parameters.Any(p => p.Source.Id is "Query" or "Body" or "Header" or "Form");
        var signedIn = description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any()
            && !description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
        var changes = !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);

        operation.Responses ??= new OpenApiResponses();
        if (readsInput || changes) Add(operation, document, 400, "请求未通过校验 / The request did not pass validation");
        if (signedIn)
        {
            Add(operation, document, 401, "请先登录 / Sign-in required");
            Add(operation, document, 403, "无权执行此操作 / Not allowed");
        }
        else if (changes)
            Add(operation, document, 403, "来源网页不被允许（Cookie 登录时）/ Cross-origin request refused"); // CrossOriginGuard
        if (parameters.Any(p => p.Source.Id == "Path")) Add(operation, document, 404, "未找到 / Not found");
        if (changes) Add(operation, document, 409, "当前状态下不能执行 / Conflicts with the current state");
        if (operation.RequestBody is not null)
        {
            Add(operation, document, 413, "请求内容过大 / The request body is too large");
            Add(operation, document, 415, "不支持该内容类型或字符集 / Unsupported content type or charset");
        }
        if (HttpMethods.IsPost(method)) // IdempotencyMiddleware: a key reused for a different request
            Add(operation, document, 422, "Idempotency-Key 已用于另一个请求 / Idempotency-Key reused");
        if (HttpMethods.IsPut(method))
        {
            Add(operation, document, 412, "版本已变 / The If-Match version is stale");
            Add(operation, document, 428, "须提供 If-Match / If-Match required");
        }
        if (!description.ActionDescriptor.EndpointMetadata.OfType<DisableRateLimitingAttribute>().Any()) // the health probes
            Add(operation, document, 429, "请求过于频繁 / Too many requests");
        Add(operation, document, 503, "服务暂时不可用 / Temporarily unavailable");
        return Task.CompletedTask;
    }

    static void Add(OpenApiOperation operation, OpenApiDocument document, int status, string description) =>
        operation.Responses!.TryAdd(status.ToString(), new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [MediaType] = new() { Schema = new OpenApiSchemaReference(SchemaId, document) },
            },
        });

    static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    static OpenApiSchema FieldErrorSchema() =>
        new()
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "field", "rule", "zh", "en" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["field"] = Text("The field, as named in the request (e.g. contact.phone)"),
                ["rule"] = Text("The rule it broke (required, max-length, unknown-value, …)"),
                ["zh"] = Text("中文说明"),
                ["en"] = Text("English message"),
            },
        };

    /// <summary>What <see cref="ProblemResults.Create"/> writes (the tests compare it with real answers).</summary>
    static OpenApiSchema ProblemSchema(OpenApiDocument document) =>
        new()
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 7807 problem with the network's code and a Chinese and English message",
            Required = new HashSet<string> { "type", "title", "status", "detail", "code", "titleZh", "detailZh" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("urn:techtransfer:problem:{code}"),
                ["title"] = Text("English title"),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = Text("English detail"),
                ["instance"] = Text("The request path, where given"),
                ["code"] = Text("Stable machine-readable code (ProblemCodes), e.g. validation, not-found, invalid-transition"),
                ["titleZh"] = Text("中文标题"),
                ["detailZh"] = Text("中文详细说明"),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Items = new OpenApiSchemaReference(FieldErrorSchemaId, document),
                    Description = "Field errors of a validation problem",
                },
                ["traceId"] = Text("The request's trace id, to quote to an operator"),
            },
        };
}
