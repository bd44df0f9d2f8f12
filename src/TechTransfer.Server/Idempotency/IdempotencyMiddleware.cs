using System.Security.Cryptography;
using System.Text;
using TechTransfer.Problems;
using TechTransfer.Security;

namespace TechTransfer.Idempotency;

/// <summary>Set on a POST that carries an Idempotency-Key, so a create can derive its new id from it.</summary>
public sealed record IdempotentRequest(string Scope, string Key)
{
    public string Seed => Scope + "\n" + Key;
}

/// <summary>
/// Idempotency-Key on every POST (draft-ietf-httpapi-idempotency-key-header): the first request with a key runs
/// and its answer is kept; a retry with the same key and the same request gets that answer back
/// (Idempotent-Replayed: true) and changes nothing; the same key on a different request is 422, and a retry
/// while the first still runs is 409 with Retry-After. Refusals and failures (4xx, 5xx) are not kept: nothing
/// was written, so the retry runs again. SignalR's own POSTs (/hubs) are left alone.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store)
{
    public const string Header = "Idempotency-Key";
    const int MaxKeyLength = 200;
    const int MaxStoredBody = 1024 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path.StartsWithSegments("/hubs")
            || !http.Request.Headers.TryGetValue(Header, out var values))
        {
            await next(http);
            return;
        }
        var key = values.ToString();
        if (values.Count != 1 || !IsWellFormed(key))
        {
            await ProblemResults.Create(ProblemCodes.IdempotencyKeyInvalid).ExecuteAsync(http);
            return;
        }
        var scope = http.User.Actor() is { } actor ? "acct:" + actor.AccountId : "ip:" + http.Connection.RemoteIpAddress;
        var hash = await HashAsync(http.Request);
        switch (await store.ClaimAsync(scope, key, hash, http.RequestAborted))
        {
            case KeyClaim.Answered answered:
                await ReplayAsync(http, answered.Response);
                return;
            case KeyClaim.Reused:
                await ProblemResults.Create(ProblemCodes.IdempotencyKeyReused).ExecuteAsync(http);
                return;
            case KeyClaim.Running running:
                http.Response.Headers.RetryAfter = Math.Ceiling(running.RetryAfter.TotalSeconds).ToString("0");
                await ProblemResults.Create(ProblemCodes.IdempotencyKeyInFlight).ExecuteAsync(http);
                return;
        }

        http.Features.Set(new IdempotentRequest(scope, key));
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        catch
        {
            http.Response.Body = original;
            await store.ReleaseAsync(scope, key);
            throw;
        }
        http.Response.Body = original;
        var response = http.Response;
        if (IsKept(response.StatusCode) && buffer.Length <= MaxStoredBody)
            await store.CompleteAsync(scope, key, new StoredResponse(response.StatusCode, response.ContentType,
                response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null, buffer.ToArray()));
        else
            await store.ReleaseAsync(scope, key);
        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    // Printable ASCII without spaces, as a header value survives every proxy.
    static bool IsWellFormed(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is > ' ' and < (char)127);

    // Only what was done is kept. A refusal wrote nothing, so its retry may as well run again (and a refused
    // request leaves no trace at all); a 5xx or 429 asked the client to come back.
    static bool IsKept(int status) => status is >= 200 and < 400;

    /// <summary>What makes two requests "the same": method, path, query and body.</summary>
    static async Task<byte[]> HashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0) hash.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return hash.GetHashAndReset();
    }

    static async Task ReplayAsync(HttpContext http, StoredResponse stored)
    {
        var response = http.Response;
        response.StatusCode = stored.Status;
        if (stored.ContentType is not null) response.ContentType = stored.ContentType;
        if (stored.Location is not null) response.Headers.Location = stored.Location;
        if (stored.ETag is not null) response.Headers.ETag = stored.ETag;
        response.Headers["Idempotent-Replayed"] = "true";
        await response.Body.WriteAsync(stored.Body, http.RequestAborted);
    }
}
