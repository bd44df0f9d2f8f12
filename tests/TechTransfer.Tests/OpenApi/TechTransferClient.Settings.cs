using System.Text.Json;
using System.Text.Json.Serialization;

namespace TechTransfer.Tests.OpenApi.Generated;

/// <summary>
/// NSwag's System.Text.Json clients read enums as numbers unless told otherwise; the network writes them as their
/// English names (docs/api.md). This is the hook NSwag generates for it, as an integrator would fill it in.
/// </summary>
public partial class TechTransferClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => settings.Converters.Add(new JsonStringEnumConverter());
}
