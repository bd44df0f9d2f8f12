using System.Collections.Concurrent;
using System.Text.Json;
using TechTransfer.PushBench;

namespace TechTransfer.Soak;

/// <summary>
/// After the load: every acknowledged write is read back (present, at least the acknowledged version, the
/// acknowledged title, published if its publish was acknowledged), every acknowledged publish is found by its own
/// word on a host's search, and every stored match of an acknowledged publish reached each connected client of
/// both parties' organizations.
/// </summary>
public static class SoakVerifier
{
    public sealed record Result(int Checked, List<string> Lost, int Published, List<string> MissingFromSearch,
        int MatchesStored, int Expected, int Pushed, List<string> MissingPushes, int MissingBothAcknowledged);

    public static async Task<Result> VerifyAsync(SoakLoad load, SoakClients clients, BenchNetwork network, int hosts)
    {
        var acknowledged = load.Listings.Where(l => l.Acknowledged > 0).ToList();
        var lost = new ConcurrentBag<string>();
        var missingFromSearch = new ConcurrentBag<string>();
        var matches = new ConcurrentDictionary<string, (string AchievementId, string DemandId)>();
        var ownerOf = new ConcurrentDictionary<string, string>();
        var publishAcknowledged = new HashSet<string>();
        foreach (var l in acknowledged) ownerOf[l.Id!] = l.Owner.Id;
        foreach (var d in network.Demands) ownerOf[d.Id] = d.Owner.Id;
        publishAcknowledged.UnionWith(acknowledged.Where(l => l.Acknowledged == 3).Select(l => l.Id!));
        publishAcknowledged.UnionWith(network.Demands.Select(d => d.Id));

        await Parallel.ForEachAsync(acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (l, _) =>
        {
            var token = l.Owner.Admin.Token;
            var view = await load.ReadAsync($"{l.Path}/{l.Id}", token, l.Index);
            if (view is not { } v)
            {
                lost.Add($"{l.Id}: not found (acknowledged step {l.Acknowledged})");
                return;
            }
            var version = v.GetProperty("version").GetInt32();
            var title = v.GetProperty("title").GetString();
            var published = v.GetProperty("status").GetString() == "Published";
            // A later step that landed without its answer reaching us may be there too: more is fine, less is lost.
            var titleOk = l.Acknowledged >= 2 ? title == l.EditedTitle : title == l.CreatedTitle || title == l.EditedTitle;
            if (version < l.AcknowledgedVersion || !titleOk || (l.Acknowledged == 3 && !published))
                lost.Add($"{l.Id}: acknowledged step {l.Acknowledged} v{l.AcknowledgedVersion} '{(l.Acknowledged >= 2 ? l.EditedTitle : l.CreatedTitle)}', " +
                    $"found v{version} '{title}' {v.GetProperty("status").GetString()}");
            if (l.Acknowledged < 3) return;

            var kind = l.IsDemand ? "demand" : "achievement";
            var found = false;
            for (var attempt = 0; attempt < 10 && !found; attempt++)
            {
                if (attempt > 0) await Task.Delay(1000);
                var page = await load.ReadAsync($"/api/search?q={l.Word}&kind={kind}&size=10", token, l.Index + attempt);
                found = page is { } p && p.GetProperty("items").EnumerateArray().Any(h => h.GetProperty("id").GetString() == l.Id);
            }
            if (!found) missingFromSearch.Add(l.Id!);

            var stored = await load.ReadAsync($"{l.Path}/{l.Id}/matches", token, l.Index);
            foreach (var m in stored?.EnumerateArray() ?? Enumerable.Empty<JsonElement>())
                matches.TryAdd(m.GetProperty("id").GetString()!, (m.GetProperty("achievementId").GetString()!, m.GetProperty("demandId").GetString()!));
        });

        var clientsOf = clients.All.GroupBy(c => c.User.Organization.Id).ToDictionary(g => g.Key, g => g.ToList());
        var expected = 0;
        var pushed = 0;
        var missing = new List<string>();
        var missingBoth = 0;
        foreach (var (matchId, (achievementId, demandId)) in matches)
        {
            foreach (var party in new[] { achievementId, demandId })
            {
                if (!ownerOf.TryGetValue(party, out var organization)) continue; // not the soak's listing: nobody of ours is entitled
                foreach (var client in clientsOf.GetValueOrDefault(organization) ?? [])
                {
                    expected++;
                    if (client.Matches.ContainsKey(matchId)) pushed++;
                    else
                    {
                        // A match whose other side's publish was never acknowledged was stored by a publish that
                        // failed on the client's side, so may not have been notified yet: reported apart.
                        var both = publishAcknowledged.Contains(achievementId) && publishAcknowledged.Contains(demandId);
                        if (both) missingBoth++;
                        missing.Add($"{matchId} → {client.User.Account}{(both ? "" : " (one side's publish not acknowledged)")}");
                    }
                }
            }
        }
        return new Result(acknowledged.Count, [.. lost], acknowledged.Count(l => l.Acknowledged == 3), [.. missingFromSearch],
            matches.Count, expected, pushed, missing, missingBoth);
    }
}
