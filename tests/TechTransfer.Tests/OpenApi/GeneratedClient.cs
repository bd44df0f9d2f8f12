using TechTransfer.Tests.Infrastructure;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;
using NJsonSchema.CodeGeneration.CSharp;

namespace TechTransfer.Tests.OpenApi;

/// <summary>
/// The C# client an integrator gets from the served OpenAPI document with NSwag (the standard generator, from NuGet),
/// with these settings. TechTransferClient.g.cs beside this file is its output for the current document; the journey
/// tests use it, and <see cref="OpenApiDocumentTests"/> fails when the served document would generate anything else.
/// </summary>
public static class GeneratedClient
{
    public const string Namespace = "TechTransfer.Tests.OpenApi.Generated";

    public static string FilePath => Path.Combine(Repository.Root, "tests", "TechTransfer.Tests", "OpenApi", "TechTransferClient.g.cs");

    public static async Task<string> GenerateAsync(string openApiJson)
    {
        var document = await NSwag.OpenApiDocument.FromJsonAsync(openApiJson);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "TechTransferClient",
            GenerateClientInterfaces = false,
            UseBaseUrl = false, // the HttpClient's BaseAddress says where the network is
            GenerateOptionalParameters = true,
            OperationNameGenerator = new SingleClientFromPathSegmentsOperationNameGenerator(),
            CSharpGeneratorSettings =
            {
                Namespace = Namespace,
                JsonLibrary = CSharpJsonLibrary.SystemTextJson,
                GenerateNullableReferenceTypes = true,
            },
        };
        return new CSharpClientGenerator(document, settings).GenerateFile().ReplaceLineEndings("\n");
    }
}
