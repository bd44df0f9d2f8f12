using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Commands;
using TechTransfer.Storage;

namespace TechTransfer.PushBench;

/// <summary>The benchmarks' way to the API: one call as a token's holder; a problem response becomes an <see cref="ApiException"/>.</summary>
public sealed class BenchApi(HttpClient http)
{
    public async Task<string> SignInAsync(string account, string password) =>
        (await SendAsync(HttpMethod.Post, "/api/auth/login", null, new { account, password })).GetProperty("token").GetString()!;

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: TechTransferJson.Options);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new ApiException(response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

public sealed class ApiException(HttpStatusCode status, string message) : CommandException(message)
{
    public HttpStatusCode Status => status;
}
