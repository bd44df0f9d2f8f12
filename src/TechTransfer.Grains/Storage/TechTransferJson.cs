using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace TechTransfer.Storage;

/// <summary>One JSON shape for the API, the search projection and grain state: camelCase, enums by English name.</summary>
public static class TechTransferJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        return options;
    }
}

/// <summary>
/// Grain state as plain JSON without CLR type names, so renaming a class never orphans stored rows,
/// and the rows can be read by SQL (the reindex path does).
/// </summary>
public sealed class StateJsonSerializer : IGrainStorageSerializer
{
    public const string Key = "json";

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, TechTransferJson.Options));

    public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span, TechTransferJson.Options)!;
}
