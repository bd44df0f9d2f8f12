using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TechTransfer.Listings;
using TechTransfer.Storage;

namespace TechTransfer.Matching;

/// <summary>A stored match as the API returns it.</summary>
public sealed record StoredMatch(
    string Id, string AchievementId, string DemandId, int Score, string AchievementTitle, string DemandTitle,
    JsonElement Explanation, DateTimeOffset CreatedAt, string? AchievementOrganizationId = null, string? DemandOrganizationId = null);

/// <summary>
/// Matches a newly published listing against the other side and keeps the result in tt_match. Runs on the
/// host of the publishing grain, against the market's index caught up first (<see cref="MarketSearch.CatchUpAsync"/>),
/// so a listing published a moment ago on another host is already a candidate.
/// </summary>
public sealed class ListingMatcher(
    MarketSearch search, NpgsqlDataSource db, Notifications.Notifier notifier, Microsoft.Extensions.Options.IOptions<MatchingOptions> options)
{
    readonly SemaphoreSlim matching = new(Environment.ProcessorCount);

    public async Task<IReadOnlyList<MatchCandidate>> MatchAsync(ListingDocument source, CancellationToken cancellation = default)
    {
        await search.CatchUpAsync(cancellation);
        // Lucene work off the grain's turn: the scheduler thread stays free for other grains. At most one match per
        // core at a time: more only contend for the in-memory index files' locks (measured under bench-push).
        IReadOnlyList<MatchCandidate> matches;
        await matching.WaitAsync(cancellation);
        try
        {
            matches = await search.FindMatchesAsync(source, cancellation);
        }
        finally
        {
            matching.Release();
        }
        if (matches.Count == 0) return matches;
        await StoreAsync(matches, cancellation);
        Telemetry.Metrics.MatchesFound.Add(matches.Count);
        await notifier.MatchFoundAsync(matches); // after the store: a notified match can always be read
        await MarkAnnouncedAsync(db, [.. matches.Select(m => m.MatchId)], cancellation);
        return matches;
    }

    /// <summary>Every inbox holds these matches: the outbox sweep leaves them alone.</summary>
    internal static async Task MarkAnnouncedAsync(NpgsqlDataSource db, string[] matchIds, CancellationToken cancellation)
    {
        await using var command = db.CreateCommand("UPDATE tt_match SET announce_due = NULL WHERE id = ANY($1) AND announce_due IS NOT NULL");
        command.Parameters.Add(new() { Value = matchIds });
        await command.ExecuteNonQueryAsync(cancellation);
    }

    public static string MatchId(string achievementId, string demandId) =>
        "mat-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(achievementId + "|" + demandId)).AsSpan(0, 16));

    /// <summary>Whether <paramref name="id"/> has the form <see cref="MatchId"/> makes ("mat-" and 32 hex digits).</summary>
    public static bool IsMatchId(string? id) => Trades.TradeIds.IsWellFormed(id, "mat-");

    async Task StoreAsync(IReadOnlyList<MatchCandidate> matches, CancellationToken cancellation)
    {
        await using var batch = db.CreateBatch();
        // In id order, like every writer of these rows: two publishes storing the same pair cannot deadlock.
        foreach (var m in matches.OrderBy(m => m.MatchId, StringComparer.Ordinal))
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO tt_match (id, achievement_id, demand_id, score, explanation, announce_due) VALUES ($1, $2, $3, $4, $5, now() + $6)
                ON CONFLICT (achievement_id, demand_id) DO UPDATE SET score = excluded.score, explanation = excluded.explanation, updated_at = now()
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = m.MatchId });
            command.Parameters.Add(new NpgsqlParameter { Value = m.AchievementId });
            command.Parameters.Add(new NpgsqlParameter { Value = m.DemandId });
            command.Parameters.Add(new NpgsqlParameter { Value = m.Score });
            command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(m.Explanation, TechTransferJson.Options), NpgsqlDbType = NpgsqlDbType.Jsonb });
            // A match found again keeps its announcement state: announced once is enough, outstanding stays due.
            command.Parameters.Add(new NpgsqlParameter { Value = options.Value.AnnounceRetryAfter, NpgsqlDbType = NpgsqlDbType.Interval });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>The stored matches of one listing whose other side is still on the market, best first.</summary>
    public async Task<IReadOnlyList<StoredMatch>> ForListingAsync(ListingKind kind, string id, int limit, CancellationToken cancellation = default)
    {
        var (mine, theirs) = kind == ListingKind.Achievement ? ("achievement_id", "demand_id") : ("demand_id", "achievement_id");
        await using var command = db.CreateCommand($"""
            SELECT m.id, m.achievement_id, m.demand_id, m.score, a.title, d.title, m.explanation::text, m.created_at, a.owner_org, d.owner_org
            FROM tt_match m
            JOIN tt_listing a ON a.id = m.achievement_id
            JOIN tt_listing d ON d.id = m.demand_id
            JOIN tt_listing o ON o.id = m.{theirs}
            WHERE m.{mine} = $1 AND o.status = 'Published'
            ORDER BY m.score DESC, m.created_at
            LIMIT $2
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var result = new List<StoredMatch>();
        while (await reader.ReadAsync(cancellation))
        {
            using var explanation = JsonDocument.Parse(reader.GetString(6));
            result.Add(new StoredMatch(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetString(4), reader.GetString(5), explanation.RootElement.Clone(), reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetString(8), reader.GetString(9)));
        }
        return result;
    }
}
