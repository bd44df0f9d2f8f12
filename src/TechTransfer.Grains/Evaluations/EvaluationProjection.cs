using Npgsql;

namespace TechTransfer.Evaluations;

/// <summary>An evaluation as lists find it: by achievement (its page) and by reviewer (their invitations).</summary>
public sealed record EvaluationRow(string Id, string AchievementId, string AchievementTitle, string Region, string Status,
    DateTimeOffset StartedAt, DateTimeOffset? PublishedAt, bool Reviewed);

/// <summary>Writes and reads tt_evaluation, derived from the evaluation grains' state (the truth).</summary>
public sealed class EvaluationProjection(NpgsqlDataSource db)
{
    public async Task WriteAsync(string id, EvaluationState s, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO tt_evaluation (id, achievement_id, achievement_title, region, status, started_at, published_at, reviewers, reviewed)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, published_at = excluded.published_at,
                reviewers = excluded.reviewers, reviewed = excluded.reviewed
            """);
        object[] values =
        [
            id, s.AchievementId!, s.AchievementTitle, s.Region, s.Summary is null ? "Open" : "Published", s.StartedAt.UtcDateTime,
            (object?)s.Summary?.PublishedAt.UtcDateTime ?? DBNull.Value, s.Reviewers.ToArray(), s.Reviews.Select(r => r.Reviewer).ToArray(),
        ];
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>The evaluations of one achievement, newest first (at most 20: a listing is evaluated a few times at most).</summary>
    public async Task<IReadOnlyList<string>> OfAchievementAsync(string achievementId, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("SELECT id FROM tt_evaluation WHERE achievement_id = $1 ORDER BY started_at DESC LIMIT 20");
        command.Parameters.Add(new NpgsqlParameter { Value = achievementId });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>A reviewer's invitations: open ones not yet reviewed first, then the rest, newest first.</summary>
    public async Task<IReadOnlyList<EvaluationRow>> InvitationsAsync(string accountId, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            SELECT id, achievement_id, achievement_title, region, status, started_at, published_at, $1 = ANY (reviewed)
            FROM tt_evaluation WHERE reviewers @> ARRAY[$1::text] -- containment, so the GIN index tt_evaluation_reviewers serves it
            ORDER BY (status = 'Open' AND NOT $1 = ANY (reviewed)) DESC, started_at DESC LIMIT 100
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        var rows = new List<EvaluationRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            rows.Add(new EvaluationRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), reader.GetBoolean(7)));
        return rows;
    }
}
