using TechTransfer.Database;

namespace TechTransfer.Commands;

/// <summary>techtransfer migrate: the same idempotent step every host runs at start-up (docker-compose runs it first).</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(CommandLine args)
    {
        var connection = args.Required("connection", "ConnectionStrings__techtransfer");
        var applied = 0;
        await Migrator.MigrateAsync(connection, line => { applied++; System.Console.WriteLine(line); });
        System.Console.WriteLine(applied == 0 ? "database is up to date" : $"{applied} step(s) done");
        return 0;
    }
}
