using System.Reflection;
using System.Text.Json;
using TechTransfer.Network;
using TechTransfer.Notifications;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.OpenApi;

/// <summary>The hub's protocol as integrators read it from /asyncapi.json (docs/api.md).</summary>
[Collection(ApiCollection.Name)]
public sealed class HubDocumentTests(ApiFixture api)
{
    [Fact]
    public async Task Every_event_the_hub_sends_and_every_hub_method_is_described_with_its_payload()
    {
        var document = JsonDocument.Parse(await api.Anonymous().GetStringAsync(HubDocument.Path)).RootElement;
        Assert.Equal("3.0.0", document.GetProperty("asyncapi").GetString());
        var operations = document.GetProperty("operations");
        var messages = document.GetProperty("components").GetProperty("messages");
        var channelMessages = document.GetProperty("channels").GetProperty("network").GetProperty("messages");
        Assert.Equal("/hubs/network", document.GetProperty("channels").GetProperty("network").GetProperty("address").GetString());

        // Every event type there is (each INetworkEvent the notifier can put in an inbox) is a client method and is described.
        var events = typeof(INetworkEvent).Assembly.GetTypes().Where(t => t.IsClass && typeof(INetworkEvent).IsAssignableFrom(t)).ToList();
        Assert.True(events.Count >= 7);
        foreach (var type in events)
        {
            Assert.Contains(typeof(INetworkClient).GetMethods(), m => m.Name == type.Name && m.GetParameters().Single().ParameterType == type);
            var operation = operations.GetProperty("receive" + type.Name);
            Assert.Equal("receive", operation.GetProperty("action").GetString());
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), type.Name);
            Assert.True(channelMessages.TryGetProperty(type.Name, out _), type.Name);
            var described = messages.GetProperty(type.Name).GetProperty("payload").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
            // The payload is exactly what the server writes: every member of the C# record, camelCase.
            var written = JsonSerializer.SerializeToElement(Sample(type), Json.Options).EnumerateObject().Select(p => p.Name).ToHashSet();
            Assert.True(written.SetEquals(described), $"{type.Name}: written {string.Join(",", written)} described {string.Join(",", described)}");
            Assert.Contains("notificationId", described);
            Assert.Contains("stream", described);
        }

        // Every method a client may call, with its arguments in order and its result.
        var methods = typeof(NetworkHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.Name.StartsWith("On", StringComparison.Ordinal) && !m.IsSpecialName).ToList();
        Assert.Equal(["Listen", "Resume", "Unwatch", "Watch"], methods.Select(m => m.Name).Order());
        foreach (var method in methods)
        {
            var operation = operations.GetProperty(method.Name);
            Assert.Equal("send", operation.GetProperty("action").GetString());
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), method.Name);
            var arguments = messages.GetProperty(method.Name).GetProperty("payload").GetProperty("items").EnumerateArray()
                .Select(a => a.GetProperty("title").GetString()).ToList();
            Assert.Equal(method.GetParameters().Select(p => p.Name), arguments);
            Assert.Equal(method.ReturnType.IsGenericType, operation.TryGetProperty("reply", out _));
        }
        var resume = messages.GetProperty("Resume").GetProperty("payload").GetProperty("items")[0];
        Assert.Contains("object", resume.GetProperty("type").ToString());
    }

    /// <summary>An instance with every constructor argument at its default, to see which members the JSON holds.</summary>
    static object Sample(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke([.. constructor.GetParameters().Select(p => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null)]);
    }
}
