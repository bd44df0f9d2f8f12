using TechTransfer.Commands;

// techtransfer: the operator's tool. Each command is one file in Commands/.
var commands = new Dictionary<string, Func<CommandLine, Task<int>>>
{
    ["migrate"] = MigrateCommand.RunAsync,
    ["import"] = ImportCommand.RunAsync,
    ["reindex"] = ReindexCommand.RunAsync,
    ["eval"] = EvalCommand.RunAsync,
    ["bench-match"] = BenchMatchCommand.RunAsync,
    ["bench-push"] = BenchPushCommand.RunAsync,
    ["bench-claim"] = BenchClaimCommand.RunAsync,
    ["soak"] = SoakCommand.RunAsync,
    ["bench-bid"] = BenchBidCommand.RunAsync,
    ["term-stats"] = TermStatsCommand.RunAsync,
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine("""
        usage: techtransfer <command> [options]
          migrate [--connection CS]                       create the database and apply all migrations
          import FILE.jsonl [--server URL] [--account A] [--password P] [--publish]
                                                          import a catalogue of achievements through the API
          reindex [--server URL[,URL…]] [--account A] [--password P]
                                                          rebuild each host's search index from the database
          eval --achievements FILE --demands FILE [--k 10] [--threshold T] [--pairs FILE]
                                                          matching quality and pushes on a labelled set (last line: JSON)
          term-stats --achievements FILE [--top 400]      words by document frequency (stop-word candidates)
          bench-match --achievements FILE --demands FILE --scale N [--queries 1000] [--peer pgtrgm]
                                                          index and match speed (last line: JSON)
          bench-push [--clients 1000] [--rate 50] [--seconds 60] [--listings 100000] [--users N] [--server URL] [--no-build] [--timeline CSV] [--brokers-per-center B] [--members-per-org M]
                                                          publish → MatchFound latency over K SignalR clients; --rate 0 holds
                                                          idle connections (last line: JSON)
          bench-claim [--brokers 100] [--leads 50] [--server URL] [--no-build]
                                                          lead-claim latency with every broker claiming each lead at once (last line: JSON)
          soak [--rate 200] [--minutes M | --seconds S] [--pg-down 5] [--no-build]
                                                          faults under load on a 3-silo cluster and its own PostgreSQL:
                                                          kill -9 a silo, restart PostgreSQL, restart the cluster; nothing
                                                          acknowledged may be lost (last line: JSON; exit 1 on a lost write)
          bench-bid [--bidders 100] [--rounds 20] [--server URL] [--port 5190] [--no-build]
                                                          auction bid latency with every bidder bidding on each auction at once (last line: JSON)
        Connection strings default to ConnectionStrings__techtransfer; accounts to TECHTRANSFER_ACCOUNT / TECHTRANSFER_PASSWORD.
        """);
    return 2;
}

try
{
    return await run(new CommandLine(args[1..]));
}
catch (CommandException e)
{
    Console.Error.WriteLine($"techtransfer {args[0]}: {e.Message}");
    return 1;
}
