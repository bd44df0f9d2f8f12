using System.Net.Http.Json;
using System.Text.Json;
using TechTransfer.Terminal;

namespace TechTransfer.Commands;

/// <summary>
/// techtransfer reindex: asks each host to rebuild its search replica from PostgreSQL and shows the progress.
/// Every host holds a full replica, so a cluster is reindexed host by host (--server URL,URL,…).
/// </summary>
public static class ReindexCommand
{
    public static async Task<int> RunAsync(CommandLine args)
    {
        var servers = (args.Option("server", "TECHTRANSFER_SERVER") ?? "http://127.0.0.1:5080").Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (var server in servers)
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(server), Timeout = TimeSpan.FromMinutes(1) };
            await ImportCommand.SignInAsync(http, args.Required("account", "TECHTRANSFER_ACCOUNT"), args.Required("password", "TECHTRANSFER_PASSWORD"));
            var status = await ReadAsync(await http.PostAsync("/api/admin/reindex", null));
            var progress = new ProgressBar($"reindex {server}", Math.Max(status.GetProperty("total").GetInt32(), 1));
            while (status.GetProperty("running").GetBoolean())
            {
                await Task.Delay(250);
                status = await ReadAsync(await http.GetAsync("/api/admin/reindex"));
                progress.Total = Math.Max(status.GetProperty("total").GetInt32(), 1);
                progress.Report(status.GetProperty("indexed").GetInt32());
            }
            progress.Done();
            if (status.GetProperty("error").GetString() is { } error) throw new CommandException($"{server}: rebuild failed: {error}");
            var took = status.GetProperty("finishedAt").GetDateTimeOffset() - status.GetProperty("startedAt").GetDateTimeOffset();
            System.Console.WriteLine($"{server}: {status.GetProperty("indexed").GetInt32()} published listings indexed in {took.TotalSeconds:F1} s");
        }
        return 0;
    }

    static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
            throw new CommandException($"{(int)response.StatusCode} {body.GetProperty("detailZh")} / {body.GetProperty("detail")}");
        return body;
    }
}
