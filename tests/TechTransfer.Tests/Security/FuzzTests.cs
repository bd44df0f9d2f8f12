using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Demo;
using TechTransfer.Tests.Deals;
using TechTransfer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TechTransfer.Tests.Security;

/// <summary>A host of its own for the fuzzer, with rate limits raised so that only the inputs decide the answers.</summary>
public sealed class FuzzFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public ApiFixture.HostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("fuzz");
        Host = new ApiFixture.HostFactory(Database.ConnectionString, demoListings: false, new Dictionary<string, string>
        {
            ["TechTransfer:RateLimits:PermitsPerMinute"] = "1000000",
            ["TechTransfer:RateLimits:AnonymousPermitsPerMinute"] = "1000000",
            // Every refused body is logged as a handled exception; ten thousand of them only slow the run down.
            ["Logging:LogLevel:Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware"] = "None",
        });
        Host.StartServer();
        await Host.WaitUntilSeededAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// Hostile input against every endpoint the running app maps (read from its EndpointDataSource, so endpoints added
/// later are fuzzed without touching this test) and every method of /hubs/network over a real connection. Each
/// request is generated from a seeded RNG (TT_FUZZ_SEED to replay, TT_FUZZ_REQUESTS to run longer) and built to
/// be refused: no answer may be a 5xx, take longer than the per-request timeout, or be anything but an RFC 7807
/// problem when it is an error, and the database must be exactly as before.
/// </summary>
public sealed class FuzzTests(FuzzFixture fuzz, ITestOutputHelper output) : IClassFixture<FuzzFixture>
{
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);
    const int Parallelism = 6;

    static readonly string[] Accounts = ["demo-national", "demo-university", "demo-enterprise", "demo-broker"];

    // Text that must come back as text: Lucene syntax, markup, SQL, path tricks, control characters, odd Unicode.
    static readonly string[] HostileText =
    [
        "*:*", "AND (", "title:\"", "title:[* TO *]", "\\", "~0.5", "?*", "+-&&||!(){}[]^\"~*?:\\/", "a OR b AND NOT c",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${jndi:ldap://x}",
        "' OR 1=1 --", "'; DROP TABLE tt_listing; --", "%' UNION SELECT * FROM tt_secret --", "\\'; SELECT pg_sleep(30); --",
        "../../../../etc/passwd", "%00", "%2e%2e%2f", "\u0000", "\u0001\u0002\u001b[31m", "\r\nSet-Cookie: x=1", "\u202e\u200b\ufeff",
        "𠜎𠜱𠝹", "\ud800", new string('长', 5000), "NaN", "-Infinity", "1e309", "null", "true", "[]", "{}",
    ];

    static readonly string[] JunkIds =
    [
        "x", "0", "-1", "00000000", "ach-" + new string('a', 300), "ach-../../x", "mat-'--", "org-<script>", "2026%00", "dem-%ff",
        "ach-00000000000000000000000000000000", "mat-00000000000000000000000000000000-00000000000000000000000000000000",
        "%E2%80%AE", "..", "%2F", "*", "%20", "🙂",
    ];

    sealed record Target(string Method, string Pattern, IReadOnlyList<string> RouteParameters, IReadOnlyList<(string Name, Type Type)> Query,
        Type? Body, bool RequiresAuth);

    sealed record Outcome(string Description, HttpStatusCode? Status, string? Failure);

    [Fact]
    public async Task Ten_thousand_malformed_requests_to_every_endpoint_and_hub_method_get_no_5xx_no_hang_and_change_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TT_FUZZ_SEED"), out var s) ? s : Environment.TickCount;
        var total = int.TryParse(Environment.GetEnvironmentVariable("TT_FUZZ_REQUESTS"), out var n) ? n : 10_000;
        output.WriteLine($"fuzz seed {seed} (replay: TT_FUZZ_SEED={seed}), {total} HTTP requests");

        var targets = Targets();
        Assert.Contains(targets, t => t.Pattern == "/api/achievements/{id}" && t.Method == "PUT"); // the enumeration found the API
        var ids = await RealIdsAsync();
        var tokens = new Dictionary<string, string>();
        foreach (var account in Accounts) tokens[account] = await TokenAsync(account);
        var before = await DatabaseState.SettledAsync(fuzz.Database.ConnectionString);

        // One generator for the whole run, so a seed replays the same requests.
        var random = new Random(seed);
        var requests = Enumerable.Range(0, total).Select(i => Generate(random, targets[i % targets.Count], ids, tokens)).ToList();

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Parallelism, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = fuzz.Host.CreateClient().BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var outcomes = new ConcurrentBag<Outcome>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (build, _) => outcomes.Add(await SendAsync(client, build)));
        var httpElapsed = clock.Elapsed;

        var hubOutcomes = await FuzzHubAsync(new Random(seed + 1), tokens);
        var after = await DatabaseState.SettledAsync(fuzz.Database.ConnectionString);

        var all = outcomes.Concat(hubOutcomes).ToList();
        output.WriteLine($"{outcomes.Count} HTTP requests over {targets.Count} endpoints in {httpElapsed.TotalSeconds:0.0} s, {hubOutcomes.Count} hub invocations");
        foreach (var group in outcomes.GroupBy(o => o.Status is { } st ? (int)st / 100 * 100 : 0).OrderBy(g => g.Key))
            output.WriteLine($"  {group.Key}: {group.Count()}");
        var accepted = outcomes.Where(o => o.Status is { } st && (int)st < 400 && !o.Description.StartsWith("GET ")).Select(o => o.Description).Distinct().Take(20).ToList();
        output.WriteLine($"accepted non-GET requests (must change nothing): {string.Join(" | ", accepted)}");

        var failures = all.Where(o => o.Failure is not null).OrderBy(o => o.Status is { } st && (int)st >= 500 ? 0 : 1).Select(o => $"{o.Failure}: {o.Description}").Take(25).ToList();
        Assert.True(failures.Count == 0, $"seed {seed}: {all.Count(o => o.Failure is not null)} failures, first ones:\n{string.Join("\n", failures)}");
        Assert.True(DatabaseState.Same(before, after), $"seed {seed}: rejected requests changed {DatabaseState.Diff(before, after)}");
        Assert.True(outcomes.Count >= total);
    }

    /// <summary>Every endpoint the app maps, from its own routing (the hub and the static portal have their own checks).</summary>
    List<Target> Targets()
    {
        var sources = fuzz.Host.Services.GetRequiredService<EndpointDataSource>();
        var targets = new List<Target>();
        foreach (var endpoint in sources.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (pattern.StartsWith("/hubs", StringComparison.Ordinal)) continue;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var routeParameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToList();
            var handler = endpoint.Metadata.GetMetadata<MethodInfo>();
            var query = handler?.GetParameters()
                .Where(p => !routeParameters.Contains(p.Name!) && IsSimple(p.ParameterType))
                .Select(p => (p.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromQueryAttribute>()?.Name ?? p.Name!, p.ParameterType)).ToList() ?? [];
            var body = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var auth = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null;
            foreach (var method in methods) targets.Add(new Target(method, pattern, routeParameters, query, body, auth));
        }
        return [.. targets.OrderBy(t => t.Pattern).ThenBy(t => t.Method)];
    }

    static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t == typeof(string) || t == typeof(decimal) || t.IsEnum || t == typeof(DateOnly) || t == typeof(DateTimeOffset);
    }

    /// <summary>One request, built to be refused (or, for reads and bodiless no-ops, to be harmless).</summary>
    static Func<HttpRequestMessage> Generate(Random r, Target target, IReadOnlyDictionary<string, string> ids, IReadOnlyDictionary<string, string> tokens)
    {
        var reading = target.Method is "GET" or "HEAD";
        var account = r.Next(3) == 0 ? null : Accounts[r.Next(Accounts.Length)];
        var breakBody = target.Body is not null && !reading;
        // A write that carries no body is refused through its route (a junk id) or its caller (nobody signed in),
        // unless it has neither (sign-out, reindex), which are harmless.
        var junkRoute = target.RouteParameters.Count > 0 && (r.Next(2) == 0 || (!reading && !breakBody));
        if (!reading && !breakBody && !junkRoute && target.RequiresAuth && target.RouteParameters.Count > 0) account = null;
        // Signed in, sign-out revokes the account's tokens (a deliberate write: TokenRevocationTests); sent anonymously here.
        if (target.Pattern == "/api/auth/logout") account = null;

        var path = target.Pattern;
        foreach (var name in target.RouteParameters)
        {
            var value = junkRoute ? Pick(r, JunkIds.Concat(HostileText).ToArray()) : RealId(ids, target.Pattern, name);
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value));
        }
        var query = new List<string>();
        foreach (var (name, type) in target.Query)
            if (r.Next(3) > 0) query.Add($"{name}={Uri.EscapeDataString(QueryValue(r, name, type))}");
        if (r.Next(8) == 0) query.Add($"{Pick(r, HostileText.Take(12).ToArray())}={Uri.EscapeDataString(Pick(r, HostileText))}");
        if (query.Count > 0) path += "?" + string.Join("&", query);

        var (content, contentType, kind) = breakBody ? BrokenBody(r, target.Body!) : HarmlessBody(r, reading);
        var ifMatch = r.Next(4) == 0 ? Pick(r, ["\"-1\"", "W/\"0\"", "*", "abc", "\"99999999999\"", "\"1\", \"2\"", new string('9', 5000)]) : null;
        var idempotencyKey = r.Next(4) == 0 ? Pick(r, ["", " ", new string('k', 10_000), "../../x", "%C3%A9\tx", Guid.NewGuid().ToString()]) : null;
        var token = account is null ? null : r.Next(20) == 0 ? tokens[account][..^4] + "AAAA" : tokens[account]; // now and then a forged signature
        var description = $"{target.Method} {path[..Math.Min(path.Length, 200)]} as {account ?? "anonymous"} body={kind}";

        return () =>
        {
            var request = new HttpRequestMessage(new HttpMethod(target.Method), path) { Version = HttpVersion.Version11 };
            if (content is not null)
            {
                request.Content = new ByteArrayContent(content);
                if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            // Kestrel answers a refused 1 MB+ body without reading it and then closes the connection: not one to pool.
            if (kind == "huge") request.Headers.ConnectionClose = true;
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            request.Options.Set(new HttpRequestOptionsKey<string>("description"), description);
            return request;
        };
    }

    static string RealId(IReadOnlyDictionary<string, string> ids, string pattern, string name)
    {
        var area = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault() ?? "";
        return ids.TryGetValue(area, out var id) ? id : name;
    }

    static string QueryValue(Random r, string name, Type type) => r.Next(4) switch
    {
        0 => Pick(r, ["-1", "0", "2147483648", "99999999999999999999", "1e9", "-2147483648", "NaN", "0x10", "1.5", ""]),
        1 => Pick(r, HostileText),
        2 => name is "size" or "page" ? Pick(r, ["1000000", "100000000", "-5", "101"]) : Pick(r, JunkIds),
        _ => type == typeof(string) ? Pick(r, HostileText) : "abc",
    };

    static (byte[]? Content, string? ContentType, string Kind) HarmlessBody(Random r, bool reading) => r.Next(3) switch
    {
        0 => (null, null, "none"),
        1 => (Encoding.UTF8.GetBytes("{\"x\":" + JsonSerializer.Serialize(Pick(r, HostileText)) + "}"), "application/json", "stray-json"),
        _ => (reading ? [0xff, 0xfe, 0x00] : null, reading ? "application/octet-stream" : null, reading ? "stray-bytes" : "none"),
    };

    /// <summary>A body no endpoint may accept: each of these breaks the JSON or the type of at least one field.</summary>
    static (byte[] Content, string? ContentType, string Kind) BrokenBody(Random r, Type bodyType)
    {
        var sample = Sample(r, bodyType);
        var text = sample.ToJsonString();
        const string json = "application/json";
        switch (r.Next(10))
        {
            case 0:
                return (Encoding.UTF8.GetBytes(Pick(r, ["{", "}", "{\"title\":", "nul", "[1,2", "{'a':1}", "{\"a\":1,}", "\"\\u12\"", "{\"a\" 1}", "\0"])), json, "bad-json");
            case 1:
                return (Encoding.UTF8.GetBytes(text[..r.Next(1, text.Length - 1)]), json, "truncated");
            case 2:
            {
                var huge = new StringBuilder("{\"title\":\"").Append('长', 1_100_000 / 3 + 10).Append("\"}");
                return (Encoding.UTF8.GetBytes(huge.ToString()), json, "huge");
            }
            case 3:
            {
                var depth = r.Next(1_000, 20_000);
                var nested = r.Next(2) == 0 ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                return (Encoding.UTF8.GetBytes(nested), json, "deep");
            }
            case 4:
            {
                // Raw bytes that are not UTF-8, or raw control characters, inside a string.
                var bytes = Encoding.UTF8.GetBytes(text).ToList();
                var at = bytes.IndexOf((byte)'"', 2) is var q and > 0 ? q + 1 : 1;
                bytes.InsertRange(at, Pick(r, new byte[][] { [0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x01], [0x1b, 0x0a, 0x00] }));
                return ([.. bytes], json, "invalid-utf8");
            }
            case 5:
                return (Encoding.UTF8.GetBytes(text), Pick(r, ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", null!, "application/json; charset=utf-7"]), "content-type");
            default:
            {
                // The sample with one field of the wrong type (hostile text elsewhere), which binding or validation refuses.
                var broken = sample.DeepClone().AsObject();
                var names = broken.Select(p => p.Key).ToList();
                if (names.Count == 0)
                    return (Encoding.UTF8.GetBytes("[" + text + "]"), json, "wrong-type");
                foreach (var name in names.Where(_ => r.Next(3) == 0)) broken[name] = Pick(r, HostileText);
                broken[Pick(r, [.. names])] = r.Next(2) == 0 ? new JsonObject { ["$where"] = "1" } : new JsonArray(1, new JsonArray(), null);
                return (Encoding.UTF8.GetBytes(broken.ToJsonString()), json, "wrong-type");
            }
        }
    }

    /// <summary>A plausible body for the endpoint's input record, from its properties.</summary>
    static JsonObject Sample(Random r, Type type)
    {
        var body = new JsonObject();
        if (type == typeof(string)) return body; // the import takes raw lines; any JSON object line is a bad line
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            body[name] = t == typeof(string) ? Pick(r, ["示例", "锂电池", "江苏", "License", "NewEnergy"])
                : t == typeof(int) || t == typeof(long) || t == typeof(decimal) || t == typeof(double) ? 5
                : t == typeof(bool) ? true
                : t == typeof(DateOnly) ? "2026-01-01"
                : typeof(IEnumerable).IsAssignableFrom(t) ? new JsonArray("示例")
                : new JsonObject { ["name"] = "示例" };
        }
        return body;
    }

    static T Pick<T>(Random r, T[] items) => items[r.Next(items.Length)];

    static async Task<Outcome> SendAsync(HttpClient client, Func<HttpRequestMessage> build)
    {
        using var request = build();
        request.Options.TryGetValue(new HttpRequestOptionsKey<string>("description"), out var description);
        using var timeout = new CancellationTokenSource(RequestTimeout);
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            if (status >= 500) return new(description!, response.StatusCode, $"{status} {body[..Math.Min(body.Length, 300)]}");
            // Kestrel itself turns away what is not HTTP (a NUL in the path, a 20 kB URL) before any middleware runs.
            var protocolRefusal = status is 400 or 414 or 431 && body.Length == 0 && response.Content.Headers.ContentType is null;
            // The OpenAPI document's own endpoint answers an unknown document name in plain text: not the API.
            var openApi = description!.StartsWith("GET /openapi/", StringComparison.Ordinal) && status == 404;
            if (status >= 400 && !protocolRefusal && !openApi)
            {
                if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    return new(description!, response.StatusCode, $"{status} not a problem: {response.Content.Headers.ContentType} {body[..Math.Min(body.Length, 200)]}");
                var problem = JsonDocument.Parse(body).RootElement;
                if (problem.GetProperty("status").GetInt32() != status || !problem.TryGetProperty("titleZh", out _))
                    return new(description!, response.StatusCode, $"{status} problem without its status or zh-CN title: {body[..Math.Min(body.Length, 200)]}");
            }
            return new(description!, response.StatusCode, null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new(description!, null, $"no answer within {RequestTimeout.TotalSeconds} s");
        }
        catch (HttpRequestException) when (description!.EndsWith("body=huge", StringComparison.Ordinal))
        {
            return new(description, null, null); // refused before the body was read, and the connection closed
        }
        catch (HttpRequestException e) when (!description!.EndsWith("body=none", StringComparison.Ordinal))
        {
            // Kestrel refuses a malformed request line (say a NUL in the path) at once and closes the connection,
            // which can cut the client off while it still writes the body. Deliberate, if the server still answers.
            using var probe = new HttpRequestMessage(HttpMethod.Get, "/health/live");
            probe.Headers.ConnectionClose = true;
            using var alive = await client.SendAsync(probe, CancellationToken.None);
            return new(description, null, alive.IsSuccessStatusCode ? null : "connection failed and the server is gone: " + e.Message);
        }
        catch (HttpRequestException e)
        {
            return new(description!, null, "connection failed: " + e.Message);
        }
    }

    /// <summary>
    /// Every hub method (from the hub class, so methods added later are called too) with wrong argument counts and
    /// types, hostile strings and extreme numbers, plus names the hub does not have. A binding error comes back as
    /// an error to that call; an unhandled server error, a dropped connection or a hang fails the test.
    /// </summary>
    async Task<List<Outcome>> FuzzHubAsync(Random r, IReadOnlyDictionary<string, string> tokens)
    {
        var methods = typeof(TechTransfer.Network.NetworkHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.Name is not ("OnConnectedAsync" or "OnDisconnectedAsync" or "Dispose"))
            .Select(m => m.Name).Concat(["Nope", "OnConnectedAsync", "Dispose", "resume", " "]).ToArray();
        object?[] values = [null, -1L, long.MaxValue, long.MinValue, 1e308, "abc", "0", new string('x', 100_000), true,
            new[] { 1, 2 }, new Dictionary<string, object> { ["$type"] = "System.IO.FileInfo" }, Pick(r, HostileText)];
        var outcomes = new List<Outcome>();
        foreach (var account in Accounts)
        {
            var connection = fuzz.Host.HubConnection(tokens[account]);
            await connection.StartAsync();
            var previousOversized = false;
            for (var i = 0; i < 150; i++)
            {
                if (connection.State != HubConnectionState.Connected)
                {
                    await connection.DisposeAsync();
                    connection = fuzz.Host.HubConnection(tokens[account]);
                    await connection.StartAsync();
                    previousOversized = false;
                }
                var method = methods[r.Next(methods.Length)];
                var args = Enumerable.Range(0, r.Next(4)).Select(_ => values[r.Next(values.Length)]).ToArray();
                var description = $"hub {method}({string.Join(", ", args.Select(a => a?.ToString()?[..Math.Min(a.ToString()!.Length, 20)] ?? "null"))}) as {account}";
                using var timeout = new CancellationTokenSource(RequestTimeout);
                string? failure = null;
                try
                {
                    await connection.InvokeCoreAsync(method, typeof(long), args, timeout.Token);
                }
                // A refusal the hub means (a HubException) reaches the client with its type; only an unhandled server
                // error arrives as the bare "An unexpected error occurred invoking …".
                catch (HubException e) when (!e.Message.Contains("unexpected error", StringComparison.OrdinalIgnoreCase)
                                             || e.Message.Contains("HubException:", StringComparison.Ordinal))
                {
                }
                catch (InvalidOperationException) when (connection.State != HubConnectionState.Connected && previousOversized)
                {
                    // closed by the server for the previous call's oversized message, a moment after it returned
                }
                catch (HubException e)
                {
                    failure = "unhandled on the server: " + e.Message;
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    failure = "no answer";
                }
                // SignalR closes a connection whose message passes its 32 kB limit; anything else must keep it open. The
                // limit is on the whole message: three strings of 5,000 长 pass it, though none is long alone.
                var oversized = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(args, Json.Options)) > 30_000;
                if (connection.State != HubConnectionState.Connected && !oversized && !previousOversized) failure ??= "the connection dropped";
                previousOversized = oversized;
                outcomes.Add(new(description, null, failure));
                if (failure is not null) break;
            }
            await connection.DisposeAsync();
        }
        // An anonymous connection is refused before any method runs.
        await using var anonymous = fuzz.Host.HubConnection("");
        var refused = await Record.ExceptionAsync(() => anonymous.StartAsync());
        outcomes.Add(new("hub start as anonymous", null, refused is null ? "an anonymous connection was accepted" : null));
        return outcomes;
    }

    async Task<string> TokenAsync(string account)
    {
        var response = await fuzz.Host.CreateClient().PostAsJsonAsync("/api/auth/login", new { account, password = DemoSeeder.Password });
        response.EnsureSuccessStatusCode();
        return (await response.BodyAsync()).GetProperty("token").GetString()!;
    }

    /// <summary>Real targets for route parameters: a deal all the way to a registered contract, its listings, an organization, a region.</summary>
    async Task<Dictionary<string, string>> RealIdsAsync()
    {
        Task<HttpClient> SignIn(string account) => fuzz.Host.SignedInAsync(account);
        var deal = await DealApiTests.MatchAsync(SignIn);
        async Task<JsonElement> Post(string account, string path, object body)
        {
            var response = await (await SignIn(account)).PostAsJsonAsync(path, body);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {await response.Content.ReadAsStringAsync()}");
            return await response.BodyAsync();
        }
        var view = await (await SignIn("demo-enterprise")).GetFromJsonAsync<JsonElement>($"/api/deals/{deal}");
        await Post("demo-enterprise", $"/api/deals/{deal}/interest", new { });
        await Post("demo-university", $"/api/deals/{deal}/interest", new { });
        await Post("demo-broker", $"/api/deals/{deal}/claim", new { });
        await Post("demo-broker", $"/api/deals/{deal}/stage", new { stage = "Negotiating" });
        await Post("demo-broker", $"/api/deals/{deal}/stage", new { stage = "ContractSigned" });
        var registered = await Post("demo-broker", $"/api/deals/{deal}/contract", new
        {
            type = "License", contractAmount = 300m, techTransactionAmount = 280m, seller = "演示大学", buyer = "演示科技有限公司",
            signingDate = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"),
        });
        return new()
        {
            ["achievements"] = view.GetProperty("facts").GetProperty("achievementId").GetString()!,
            ["demands"] = view.GetProperty("facts").GetProperty("demandId").GetString()!,
            ["deals"] = deal,
            ["contracts"] = registered.GetProperty("contractNumber").GetString()!,
            ["organizations"] = "org-demo-university",
            ["regions"] = "yangtze-delta",
            ["openapi"] = "v1",
        };
    }
}
