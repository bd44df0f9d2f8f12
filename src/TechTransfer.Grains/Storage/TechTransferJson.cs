using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
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
/// and the rows can be read by SQL (the reindex path does). A state keeps what it does not know: fields that a newer
/// build stored (a rolling upgrade runs old and new silos side by side) are remembered when the state is read and
/// written back with it, at any depth of objects, so an old silo rewriting the grain does not erase them.
/// </summary>
public sealed class StateJsonSerializer : IGrainStorageSerializer
{
    public const string Key = "json";

    // Per state instance as read: Orleans writes back the instance it read (IPersistentState.State). A grain that
    // replaces its state object wholesale, or an activation migrated to another silo, starts from what it knows.
    static readonly ConditionalWeakTable<object, JsonObject> UnknownFields = new();

    public BinaryData Serialize<T>(T? input)
    {
        if (input is null || !UnknownFields.TryGetValue(input, out var unknown))
            return new(JsonSerializer.SerializeToUtf8Bytes(input, TechTransferJson.Options));
        var known = JsonSerializer.SerializeToNode(input, TechTransferJson.Options)!.AsObject();
        AddMissing(known, unknown);
        return new(JsonSerializer.SerializeToUtf8Bytes(known, TechTransferJson.Options));
    }

    public T Deserialize<T>(BinaryData input)
    {
        var state = JsonSerializer.Deserialize<T>(input.ToMemory().Span, TechTransferJson.Options)!;
        if (state is not null && !typeof(T).IsValueType
            && JsonNode.Parse(input.ToMemory().Span) is JsonObject stored
            && JsonSerializer.SerializeToNode(state, TechTransferJson.Options) is JsonObject known
            && Missing(stored, known) is { } unknown)
            UnknownFields.AddOrUpdate(state, unknown);
        return state;
    }

    /// <summary>The members of <paramref name="stored"/> that <paramref name="known"/> lacks, at any depth of objects; null when none.</summary>
    static JsonObject? Missing(JsonObject stored, JsonObject known)
    {
        JsonObject? missing = null;
        foreach (var (name, value) in stored)
        {
            JsonNode? inner = !known.TryGetPropertyValue(name, out var mine) ? value?.DeepClone()
                : value is JsonObject storedChild && mine is JsonObject knownChild ? Missing(storedChild, knownChild)
                : null;
            if (inner is null && known.ContainsKey(name)) continue;
            (missing ??= [])[name] = inner;
        }
        return missing;
    }

    static void AddMissing(JsonObject target, JsonObject missing)
    {
        foreach (var (name, value) in missing)
        {
            if (!target.TryGetPropertyValue(name, out var present)) target[name] = value?.DeepClone();
            else if (present is JsonObject child && value is JsonObject more) AddMissing(child, more);
        }
    }
}
