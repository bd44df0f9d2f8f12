using Npgsql;
using NpgsqlTypes;

namespace TechTransfer.Idempotency;

/// <summary>A stored first answer, replayed to every retry of the same request.</summary>
public sealed record StoredResponse(int Status, string? ContentType, string? Location, string? ETag, byte[] Body);

/// <summary>What a request finds under its key.</summary>
public abstract record KeyClaim
{
    /// <summary>The key is this request's now: run it, then complete or release.</summary>
    public sealed record Taken : KeyClaim;
    public sealed record Answered(StoredResponse Response) : KeyClaim;
    /// <summary>The key was used for a different request (another path or body).</summary>
    public sealed record Reused : KeyClaim;
    public sealed record Running(TimeSpan RetryAfter) : KeyClaim;
}

/// <summary>tt_idempotency, shared by every host so a retry may land anywhere.</summary>
public sealed class IdempotencyStore(NpgsqlDataSource db)
{
    /// <summary>How long a running request holds its key; a host that crashed meanwhile gives it up after this.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public async Task<KeyClaim> ClaimAsync(string scope, string key, byte[] requestHash, CancellationToken cancellation)
    {
        // A new key is taken; so is one whose holder died without answering (same request, lease over).
        const string take = """
            INSERT INTO tt_idempotency AS t (scope, key, request_hash, locked_until) VALUES ($1, $2, $3, now() + $4)
            ON CONFLICT (scope, key) DO UPDATE SET locked_until = excluded.locked_until
                WHERE t.status IS NULL AND t.locked_until < now() AND t.request_hash = excluded.request_hash
            RETURNING 1
            """;
        for (var attempt = 0; ; attempt++)
        {
            await using (var command = db.CreateCommand(take))
            {
                AddKey(command, scope, key);
                command.Parameters.Add(new() { Value = requestHash, NpgsqlDbType = NpgsqlDbType.Bytea });
                command.Parameters.Add(new() { Value = Lease, NpgsqlDbType = NpgsqlDbType.Interval });
                if (await command.ExecuteScalarAsync(cancellation) is not null) return new KeyClaim.Taken();
            }
            await using var read = db.CreateCommand("""
                SELECT request_hash, status, content_type, location, etag, body, greatest(locked_until - now(), interval '1 second')
                FROM tt_idempotency WHERE scope = $1 AND key = $2
                """);
            AddKey(read, scope, key);
            await using var reader = await read.ExecuteReaderAsync(cancellation);
            if (!await reader.ReadAsync(cancellation))
            {
                if (attempt < 3) continue; // released or expired in between: try to take it again
                return new KeyClaim.Running(TimeSpan.FromSeconds(1));
            }
            if (!reader.GetFieldValue<byte[]>(0).AsSpan().SequenceEqual(requestHash)) return new KeyClaim.Reused();
            if (reader.IsDBNull(1)) return new KeyClaim.Running(reader.GetFieldValue<TimeSpan>(6));
            return new KeyClaim.Answered(new StoredResponse(reader.GetInt32(1), Text(reader, 2), Text(reader, 3), Text(reader, 4),
                reader.IsDBNull(5) ? [] : reader.GetFieldValue<byte[]>(5)));
        }
    }

    public async Task CompleteAsync(string scope, string key, StoredResponse response)
    {
        await using var command = db.CreateCommand("""
            UPDATE tt_idempotency SET status = $3, content_type = $4, location = $5, etag = $6, body = $7, locked_until = now()
            WHERE scope = $1 AND key = $2
            """);
        AddKey(command, scope, key);
        command.Parameters.Add(new() { Value = response.Status });
        command.Parameters.Add(new() { Value = (object?)response.ContentType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)response.Location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)response.ETag ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = response.Body, NpgsqlDbType = NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Frees a key whose request ended without an answer worth keeping, so a retry runs it again.</summary>
    public async Task ReleaseAsync(string scope, string key)
    {
        await using var command = db.CreateCommand("DELETE FROM tt_idempotency WHERE scope = $1 AND key = $2 AND status IS NULL");
        AddKey(command, scope, key);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<int> ForgetOlderThanAsync(TimeSpan age, CancellationToken cancellation)
    {
        await using var command = db.CreateCommand("DELETE FROM tt_idempotency WHERE created_at < now() - $1 AND status IS NOT NULL");
        command.Parameters.Add(new() { Value = age, NpgsqlDbType = NpgsqlDbType.Interval });
        return await command.ExecuteNonQueryAsync(cancellation);
    }

    static void AddKey(NpgsqlCommand command, string scope, string key)
    {
        command.Parameters.Add(new() { Value = scope, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = key, NpgsqlDbType = NpgsqlDbType.Text });
    }

    static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

/// <summary>Answers are kept for a day (TechTransfer:Idempotency:Retention); every host sweeps now and then.</summary>
public sealed class IdempotencySweeper(IdempotencyStore store, IConfiguration configuration, TimeProvider clock, ILogger<IdempotencySweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var retention = configuration.GetValue("TechTransfer:Idempotency:Retention", TimeSpan.FromHours(24));
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10), clock);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                var removed = await store.ForgetOlderThanAsync(retention, stopping);
                if (removed > 0) logger.LogInformation("Forgot {Count} idempotency answers older than {Retention}", removed, retention);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Idempotency sweep failed; trying again later");
            }
        }
    }
}
