using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TechTransfer.Terminal;

namespace TechTransfer.Commands;

/// <summary>
/// techtransfer import FILE.jsonl: sends a catalogue to POST /api/imports in chunks, as the signed-in account,
/// so the server applies the same validation, permissions and idempotency as for any other client.
/// </summary>
public static class ImportCommand
{
    const int ChunkLines = 500;

    public static async Task<int> RunAsync(CommandLine args)
    {
        var file = args.Positional(0, "FILE.jsonl");
        if (!File.Exists(file)) throw new CommandException($"no such file: {file}");
        var server = new Uri(args.Option("server", "TECHTRANSFER_SERVER") ?? "http://127.0.0.1:5080");
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
        await SignInAsync(http, args.Required("account", "TECHTRANSFER_ACCOUNT"), args.Required("password", "TECHTRANSFER_PASSWORD"));

        var lines = await File.ReadAllLinesAsync(file);
        var progress = new ProgressBar("import", lines.Length);
        int created = 0, updated = 0, unchanged = 0;
        var errors = new List<JsonElement>();
        for (var start = 0; start < lines.Length; start += ChunkLines)
        {
            var chunk = string.Join('\n', lines.Skip(start).Take(ChunkLines));
            var response = await http.PostAsync($"/api/imports?publish={args.Flag("publish")}&firstLine={start + 1}",
                new StringContent(chunk, Encoding.UTF8, "application/x-ndjson"));
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (!response.IsSuccessStatusCode)
                throw new CommandException($"{(int)response.StatusCode} {body.GetProperty("detailZh")} / {body.GetProperty("detail")}");
            created += body.GetProperty("created").GetInt32();
            updated += body.GetProperty("updated").GetInt32();
            unchanged += body.GetProperty("unchanged").GetInt32();
            errors.AddRange(body.GetProperty("errors").EnumerateArray().Select(e => e.Clone()));
            progress.Report(Math.Min(start + ChunkLines, lines.Length));
        }
        progress.Done();

        foreach (var error in errors)
        {
            var reasons = error.GetProperty("reasons").EnumerateArray().Select(r => $"{r.GetProperty("zh")} ({r.GetProperty("en")})");
            System.Console.WriteLine($"line {error.GetProperty("line")}: {string.Join("; ", reasons)}");
        }
        System.Console.WriteLine($"created {created}, updated {updated}, unchanged {unchanged}, rejected {errors.Count}");
        return errors.Count == 0 ? 0 : 1;
    }

    internal static async Task SignInAsync(HttpClient http, string account, string password)
    {
        var response = await http.PostAsJsonAsync("/api/auth/login", new { account, password });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new CommandException($"sign-in failed: {body.GetProperty("detailZh")} / {body.GetProperty("detail")}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
    }
}
