using System.Net;
using System.Text.Json;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.OpenApi;

/// <summary>What integrators get from /openapi/v1.json (docs/api.md).</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(ApiFixture api)
{
    async Task<(string Json, OpenApiDocument Document)> ServedAsync()
    {
        var json = await api.Anonymous().GetStringAsync("/openapi/v1.json");
        var read = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.NotNull(read.Document);
        return (json, read.Document);
    }

    static IEnumerable<(string Path, HttpMethod Method, OpenApiOperation Operation)> Operations(OpenApiDocument document) =>
        from path in document.Paths
        from operation in path.Value.Operations ?? []
        select (path.Key, operation.Key, operation.Value);

    [Fact]
    public async Task The_document_is_valid_and_every_operation_types_its_success_and_its_problems()
    {
        var (json, document) = await ServedAsync();
        var errors = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Pointer}: {e.Message}")));
        Assert.Equal("3.1.1", JsonDocument.Parse(await api.Anonymous().GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("openapi").GetString());

        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 50, $"{operations.Count} operations");
        var missing = new List<string>();
        foreach (var (path, method, operation) in operations)
        {
            var name = $"{method} {path}";
            var responses = operation.Responses ?? [];
            var success = responses.Where(r => r.Key.StartsWith('2')).ToList();
            if (success.Count == 0) missing.Add($"{name}: no 2xx");
            foreach (var (status, response) in success)
                if (status != "204" && response.Content?.Values.Any(c => c.Schema is not null && !IsUntyped(c.Schema)) != true)
                    missing.Add($"{name}: {status} has no typed schema");
            foreach (var status in new[] { "429", "503" }.Concat(path.Contains('{') ? ["404"] : []))
                if (!IsProblem(responses, status) && !path.StartsWith("/health")) missing.Add($"{name}: no {status} problem");
            if (!responses.ContainsKey("503")) missing.Add($"{name}: no 503"); // the probes answer their own report
            foreach (var status in operation.RequestBody is null ? [] : new[] { "400", "413", "415" })
                if (!IsProblem(responses, status)) missing.Add($"{name}: a body but no {status} problem");
            if (method == HttpMethod.Post && !IsProblem(responses, "422")) missing.Add($"{name}: a POST without the Idempotency-Key 422");
            if (responses.ContainsKey("401") && !responses.ContainsKey("403")) missing.Add($"{name}: 401 without 403");
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));

        // Nor inside: no component reachable from a success answer is a bare object (a JsonObject member or item).
        var root = JsonDocument.Parse(json).RootElement;
        var schemas = root.GetProperty("components").GetProperty("schemas");
        var reachable = new HashSet<string>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array) foreach (var x in e.EnumerateArray()) Walk(x);
            if (e.ValueKind != JsonValueKind.Object) return;
            if (e.TryGetProperty("$ref", out var reference) && reachable.Add(reference.GetString()!.Split('/')[^1]))
                Walk(schemas.GetProperty(reference.GetString()!.Split('/')[^1]));
            foreach (var member in e.EnumerateObject()) Walk(member.Value);
        }
        foreach (var path in root.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')))
                    Walk(response.Value);
        var bare = reachable.Where(id => schemas.GetProperty(id) is var s
            && !new[] { "properties", "items", "enum", "oneOf", "anyOf", "allOf", "additionalProperties" }.Any(k => s.TryGetProperty(k, out _))
            && (!s.TryGetProperty("type", out var type) || type.ToString().Contains("object"))).ToList();
        Assert.True(bare.Count == 0, "bare objects reachable from success answers: " + string.Join(", ", bare));

        // Sign-in is required exactly where the host says so: an anonymous call answers 401 where 401 is documented.
        var anonymous = api.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/deals")).StatusCode);
        Assert.True(IsProblem(Operations(document).Single(o => o.Path == "/api/deals" && o.Method == HttpMethod.Get).Operation.Responses!, "401"));
        Assert.False(Operations(document).Single(o => o.Path == "/api/search").Operation.Responses!.ContainsKey("401"));
    }

    [Fact]
    public async Task The_problem_schema_is_what_real_problems_hold()
    {
        var (json, _) = await ServedAsync();
        var schemas = JsonDocument.Parse(json).RootElement.GetProperty("components").GetProperty("schemas");
        var schema = schemas.GetProperty("Problem");
        var described = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        var required = schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal("#/components/schemas/ProblemFieldError", schema.GetProperty("properties").GetProperty("errors").GetProperty("items").GetProperty("$ref").GetString());
        var errorMembers = schemas.GetProperty("ProblemFieldError").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();

        var client = await api.SignedInAsync("demo-university");
        var answers = new[]
        {
            await client.GetAsync("/api/achievements/ach-00000000000000000000000000000000"),       // 404
            await client.PostAsync("/api/achievements", JsonContent(Samples.Achievement("").ToJsonString())), // 400 with field errors
            await api.Anonymous().GetAsync("/api/deals"),                                         // 401
            await client.GetAsync("/api/search?page=0"),                                           // 400
        };
        var bodies = new List<JsonElement>();
        foreach (var answer in answers)
        {
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            var body = await answer.BodyAsync();
            bodies.Add(body);
            var members = body.EnumerateObject().Select(p => p.Name).ToList();
            Assert.All(members, m => Assert.Contains(m, described));
            Assert.All(required, r => Assert.Contains(r, members));
            if (body.TryGetProperty("errors", out var fieldErrors))
                foreach (var error in fieldErrors.EnumerateArray())
                    Assert.All(error.EnumerateObject().Select(p => p.Name), m => Assert.Contains(m, errorMembers));
        }
        Assert.True(bodies[1].TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task The_committed_client_is_what_NSwag_generates_from_the_served_document()
    {
        var (json, _) = await ServedAsync();
        var generated = await GeneratedClient.GenerateAsync(json);
        var committed = File.Exists(GeneratedClient.FilePath) ? (await File.ReadAllTextAsync(GeneratedClient.FilePath)).ReplaceLineEndings("\n") : "";
        if (generated != committed && Environment.GetEnvironmentVariable("TT_UPDATE_CLIENT") == "1")
            await File.WriteAllTextAsync(GeneratedClient.FilePath, generated);
        else
            Assert.True(generated == committed,
                $"The served OpenAPI document changed: run this test with TT_UPDATE_CLIENT=1 to regenerate {GeneratedClient.FilePath}, and commit it.");
    }

    static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    static bool IsProblem(IDictionary<string, IOpenApiResponse> responses, string status) =>
        responses.TryGetValue(status, out var response)
        && response.Content?.TryGetValue("application/problem+json", out var media) == true
        && media.Schema is OpenApiSchemaReference { Reference.Id: "Problem" };

    // A schema that says nothing of the shape: no properties, no items (what a JsonObject answer gives), also behind a
    // reference (a JsonObject answer becomes the empty component "JsonObject").
    static bool IsUntyped(IOpenApiSchema schema) =>
        schema is OpenApiSchemaReference reference ? reference.Target is null || IsUntyped(reference.Target) :
        (schema.Properties?.Count ?? 0) == 0 && schema.Items is null && schema.AdditionalProperties is null
        && (schema.AllOf?.Count ?? 0) == 0 && (schema.OneOf?.Count ?? 0) == 0 && (schema.AnyOf?.Count ?? 0) == 0
        && (schema.Type is null || (schema.Type & JsonSchemaType.Object) != 0);
}
