using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using TechTransfer.Storage;

namespace TechTransfer.Network;

/// <summary>
/// /asyncapi.json: the hub's protocol as an AsyncAPI 3.0 document, built from <see cref="NetworkHub"/>'s methods and
/// <see cref="INetworkClient"/>'s events and the JSON schemas of their C# types, so it cannot drift from the code.
/// </summary>
public static class HubDocument
{
    public const string Path = "/asyncapi.json";

    const string Channel = "network";

    /// <summary>What each hub method does; the test fails when a method has no sentence here.</summary>
    public static readonly IReadOnlyDictionary<string, string> MethodDescriptions = new Dictionary<string, string>
    {
        [nameof(NetworkHub.Resume)] = "Call first after connecting: lastSeen maps each stream the account reads (an event's stream: " +
            "user:…, org:…, region:…, national) to the last notificationId seen in it; sends what each stream holds after that " +
            "(a stream not named: everything kept), oldest first per stream, then live events in order. Returns the last id " +
            "reached in each stream; keep the highest notificationId per stream and pass them after a reconnect.",
        [nameof(NetworkHub.Listen)] = "Instead of Resume: live events only, nothing already stored. Returns the last id of each stream the account reads.",
        [nameof(NetworkHub.Watch)] = "Follows the public feed of a trade (auc-…, fpl-…, tnd-…) after lastSeenId (-1: only what comes next): " +
            "TradeFeed events. Any signed-in user may watch. An unknown trade is a HubException \"not-found: …\". Returns the feed's last id.",
        [nameof(NetworkHub.Unwatch)] = "Stops following a trade's feed.",
    };

    /// <summary>Who receives each event; the test fails when an event has no sentence here.</summary>
    public static readonly IReadOnlyDictionary<string, string> EventDescriptions = new Dictionary<string, string>
    {
        [nameof(INetworkClient.MatchFound)] = "A new match: to both parties' organizations (their members) and both parties' regional centers (their brokers).",
        [nameof(INetworkClient.ListingPublished)] = "A listing went on the market: to its regional center (its brokers) and national, with the center's live counts.",
        [nameof(INetworkClient.DealUpdated)] = "A deal moved (interest, lead, claim, stage): to both parties, both centers and national. Never a contact.",
        [nameof(INetworkClient.DealStale)] = "A deal saw no activity for the configured time: to its broker (or, unclaimed, its centers' brokers).",
        [nameof(INetworkClient.ContractRegistered)] = "A technology contract was registered: to both parties, both centers and national.",
        [nameof(INetworkClient.TradeNotice)] = "Per-party news of a trade (Outbid, Won, Lost, Sold, Unsold, Accepted, Taken, Opened, Awarded, NotAwarded), to the users it concerns.",
        [nameof(INetworkClient.ListingExpiring)] = "A listing's validity ends soon (14 days before): to its owner organization (its members), with whether it may still be renewed.",
        [nameof(INetworkClient.SubscriptionHit)] = "A saved search (subscription) found a newly published listing: to the subscription's owner only, once per listing.",
        [nameof(INetworkClient.EvaluationNews)] = "科技成果评价: Invited to the reviewer a center invited; Published to the achievement's owner organization and its reviewers.",
        [nameof(INetworkClient.TradeFeed)] = "The public feed of a watched trade (see Watch): bids with the bidder masked, extensions, the end.",
    };

    /// <summary>The hub methods a client may call: NetworkHub's own public methods, not the connection callbacks.</summary>
    public static IEnumerable<MethodInfo> Methods() => typeof(NetworkHub)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == typeof(NetworkHub));

    /// <summary>The events the server sends: one method of INetworkClient each, its one parameter the payload.</summary>
    public static IEnumerable<MethodInfo> Events() => typeof(INetworkClient).GetMethods();

    public static void MapHubDocument(this IEndpointRouteBuilder app)
    {
        var document = Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        app.MapGet(Path, () => TypedResults.Text(document, "application/json")).ExcludeFromDescription();
    }

    public static JsonObject Build()
    {
        var json = new JsonSerializerOptions(TechTransferJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        JsonNode Schema(Type type) => json.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        JsonObject Ref(string pointer) => new() { ["$ref"] = pointer };

        var messages = new JsonObject();
        var channelMessages = new JsonObject();
        var operations = new JsonObject();
        foreach (var method in Events())
        {
            var name = method.Name;
            var payload = method.GetParameters().Single().ParameterType;
            messages[name] = new JsonObject
            {
                ["name"] = name,
                ["title"] = name,
                ["summary"] = EventDescriptions.GetValueOrDefault(name),
                ["description"] = "A SignalR invocation of the client method " + name + " with one argument, this payload.",
                ["payload"] = Schema(payload),
            };
            channelMessages[name] = Ref("#/components/messages/" + name);
            operations["receive" + name] = new JsonObject
            {
                ["action"] = "receive",
                ["channel"] = Ref("#/channels/" + Channel),
                ["summary"] = EventDescriptions.GetValueOrDefault(name),
                ["messages"] = new JsonArray(Ref($"#/channels/{Channel}/messages/{name}")),
            };
        }
        foreach (var method in Methods())
        {
            var name = method.Name;
            var arguments = method.GetParameters();
            messages[name] = new JsonObject
            {
                ["name"] = name,
                ["title"] = name + "(" + string.Join(", ", arguments.Select(a => a.Name)) + ")",
                ["summary"] = MethodDescriptions.GetValueOrDefault(name),
                ["description"] = "A SignalR invocation of the hub method " + name + "; its arguments in this order.",
                ["payload"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = new JsonArray([.. arguments.Select(a => (JsonNode)WithTitle(Schema(a.ParameterType), a.Name!))]),
                    ["minItems"] = arguments.Length,
                    ["maxItems"] = arguments.Length,
                },
            };
            channelMessages[name] = Ref("#/components/messages/" + name);
            var operation = new JsonObject
            {
                ["action"] = "send",
                ["channel"] = Ref("#/channels/" + Channel),
                ["summary"] = MethodDescriptions.GetValueOrDefault(name),
                ["messages"] = new JsonArray(Ref($"#/channels/{Channel}/messages/{name}")),
            };
            if (method.ReturnType.IsGenericType) // Task<T>: the completion carries a result
            {
                var result = name + "Result";
                messages[result] = new JsonObject
                {
                    ["name"] = result,
                    ["summary"] = "The completion of " + name + ": its result.",
                    ["payload"] = Schema(method.ReturnType.GetGenericArguments()[0]),
                };
                channelMessages[result] = Ref("#/components/messages/" + result);
                operation["reply"] = new JsonObject
                {
                    ["channel"] = Ref("#/channels/" + Channel),
                    ["messages"] = new JsonArray(Ref($"#/channels/{Channel}/messages/{result}")),
                };
            }
            operations[name] = operation;
        }

        return new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject
            {
                ["title"] = "TechTransfer network hub",
                ["version"] = "1",
                ["description"] = "The live events of the national technology-transfer network over ASP.NET Core SignalR (JSON protocol, " +
                    "camelCase payloads). Connect to /hubs/network signed in (Authorization: Bearer <token from POST /api/auth/login>, " +
                    "or access_token=<token> in the query for WebSockets), call Resume(lastSeen) or Listen(), then receive events. The server " +
                    "decides what a connection hears (the streams its account is entitled to: its own, its organization's, its center's " +
                    "as a broker, national); a client cannot ask for anything else except a trade's public feed through Watch. Every " +
                    "event carries stream and notificationId (keep the highest per stream and pass them to Resume after a reconnect) and storedAt.",
            },
            ["servers"] = new JsonObject
            {
                ["host"] = new JsonObject
                {
                    ["host"] = "127.0.0.1:5080",
                    ["protocol"] = "ws",
                    ["description"] = "./scripts/start's host; a deployment serves the hub at the same address as its REST API (wss behind TLS).",
                    ["security"] = new JsonArray(Ref("#/components/securitySchemes/bearer")),
                },
            },
            ["defaultContentType"] = "application/json",
            ["channels"] = new JsonObject
            {
                [Channel] = new JsonObject
                {
                    ["address"] = "/hubs/network",
                    ["title"] = "The network hub (SignalR)",
                    ["messages"] = channelMessages,
                },
            },
            ["operations"] = operations,
            ["components"] = new JsonObject
            {
                ["messages"] = messages,
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                },
            },
        };
    }

    static JsonNode WithTitle(JsonNode schema, string title)
    {
        if (schema is JsonObject o) o["title"] = title;
        return schema;
    }
}
