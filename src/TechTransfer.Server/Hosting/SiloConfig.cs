using Npgsql;
using TechTransfer.Database;

namespace TechTransfer.Hosting;

/// <summary>Run modes: silo-config/silo.json for everyone, then silo-config/{mode}.json (local or cluster).</summary>
public static class SiloConfig
{
    public static void AddTo(WebApplicationBuilder builder)
    {
        var mode = builder.Configuration["mode"] ?? builder.Configuration["TechTransfer:Mode"] ?? "local";
        var directory = Path.Combine(AppContext.BaseDirectory, "silo-config");
        var modeFile = Path.Combine(directory, $"{mode}.json");
        if (!File.Exists(modeFile)) throw new InvalidOperationException($"Unknown mode '{mode}': no {modeFile}.");

        // Lowest precedence: appsettings, environment variables and the command line still override them.
        builder.Configuration.Sources.Insert(0, Json(Path.Combine(directory, "silo.json")));
        builder.Configuration.Sources.Insert(1, Json(modeFile));
        if (builder.Configuration["TechTransfer:Urls"] is { } urls && builder.Configuration["urls"] is null)
            builder.WebHost.UseUrls(urls);
    }

    /// <summary>PostgreSQL may still be starting next to us; wait up to 30 s for it before giving up.</summary>
    public static async Task MigrateWithRetryAsync(string connectionString)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Migrator.MigrateAsync(connectionString, line => Console.WriteLine($"migrate: {line}"));
                return;
            }
            catch (NpgsqlException e) when (attempt < 30 && e is not PostgresException)
            {
                Console.WriteLine($"migrate: waiting for PostgreSQL ({e.Message})");
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    static Microsoft.Extensions.Configuration.Json.JsonConfigurationSource Json(string path)
    {
        var source = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = path, Optional = false };
        source.ResolveFileProvider(); // absolute path → a provider rooted at its folder
        return source;
    }
}
