using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Orleans.Storage;

namespace TechTransfer.Storage;

/// <summary>
/// One JSON shape for the API, the search projection, grain state and pushed events: camelCase, enums by English
/// name, Chinese as UTF-8. The default encoder writes every CJK character as a six-byte \uXXXX escape: twice the
/// bytes of UTF-8 in every push, stored event and response. HTML-sensitive characters (&lt; &gt; &amp; ' ") stay escaped.
/// Reading is strict: numbers must be JSON numbers and a key may appear once per object.
/// </summary>
public static class TechTransferJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        // The web defaults read "42" as 42 and let the last of two equal keys win: a body a person never means,
        // and one that two parsers (a gateway, this host) may read differently. Both are a 400 now.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
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
