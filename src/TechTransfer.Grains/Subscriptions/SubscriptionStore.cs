using System.Security.Cryptography;
using Npgsql;
using TechTransfer.Problems;

namespace TechTransfer.Subscriptions;

/// <summary>
/// The saved searches in tt_subscription, read and changed only on behalf of their owner: every statement names the
/// owning account, so another account's id reads as "no such subscription".
/// </summary>
public sealed class SubscriptionStore(NpgsqlDataSource db)
{
    /// <summary>How many subscriptions one account may keep.</summary>
    public const int MaxPerAccount = 20;

    /// <summary>How many of its latest results a subscription shows in the list.</summary>
    public const int RecentShown = 5;

    const string Any = "*";

    public static string NewId() => "sub-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsId(string? id) => Trades.TradeIds.IsWellFormed(id, "sub-");

    /// <summary>
    /// Saves a subscription unless the account has <see cref="MaxPerAccount"/> already. The count and the insert run
    /// under a lock on the account, so two saves at once cannot both take the last place.
    /// </summary>
    public async Task<Subscription> CreateAsync(string accountId, string organizationId, string name, SubscriptionCriteria criteria,
        CancellationToken cancellation = default)
    {
        var id = NewId();
        await using var connection = await db.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('tt_subscription:' || $1, 0))", connection, transaction))
        {
            command.Parameters.Add(new() { Value = accountId });
            await command.ExecuteNonQueryAsync(cancellation);
        }
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM tt_subscription WHERE account_id = $1", connection, transaction))
        {
            count.Parameters.Add(new() { Value = accountId });
            if ((long)(await count.ExecuteScalarAsync(cancellation))! >= MaxPerAccount) throw new ProblemException(ProblemCodes.SubscriptionLimit);
        }
        DateTimeOffset createdAt;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO tt_subscription (id, account_id, organization_id, name, q, kind, tech_field, province, region, trl_min, price_max)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING created_at
            """, connection, transaction))
        {
            foreach (var value in new object?[] { id, accountId, organizationId, name, criteria.Q, criteria.Kind ?? Any, criteria.Field ?? Any,
                criteria.Province ?? Any, criteria.Region ?? Any, criteria.TrlMin ?? 0, criteria.PriceMax })
                insert.Parameters.Add(new() { Value = value ?? DBNull.Value });
            createdAt = new DateTimeOffset((DateTime)(await insert.ExecuteScalarAsync(cancellation))!); // timestamptz reads as a UTC DateTime
        }
        await transaction.CommitAsync(cancellation);
        return new Subscription(id, name, criteria, createdAt, 0, []);
    }

    /// <summary>A page of the account's subscriptions, newest first, each with its latest results; and how many it has.</summary>
    public async Task<(IReadOnlyList<Subscription> Items, int Total)> ListAsync(string accountId, int skip, int take, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand($"""
            SELECT s.id, s.name, s.q, s.kind, s.tech_field, s.province, s.region, s.trl_min, s.price_max, s.created_at,
                   (SELECT count(*) FROM tt_subscription_hit h JOIN tt_listing l ON l.id = h.listing_id
                    WHERE h.subscription_id = s.id AND l.status = 'Published'),
                   count(*) OVER ()
            FROM tt_subscription s WHERE s.account_id = $1
            ORDER BY s.created_at DESC, s.id LIMIT $2 OFFSET $3
            """);
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = take });
        command.Parameters.Add(new() { Value = skip });
        var rows = new List<(Subscription Subscription, int Total)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
            while (await reader.ReadAsync(cancellation))
                rows.Add((ReadSubscription(reader), (int)reader.GetInt64(11)));
        var items = new List<Subscription>(rows.Count);
        foreach (var (subscription, _) in rows)
            items.Add(subscription with { Recent = await ResultsOfAsync(subscription.Id, 0, RecentShown, cancellation) });
        // A page past the end has no rows to carry the total: count on its own.
        var total = rows.Count > 0 ? rows[0].Total : skip == 0 ? 0 : await CountAsync(accountId, cancellation);
        return (items, total);
    }

    async Task<int> CountAsync(string accountId, CancellationToken cancellation)
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM tt_subscription WHERE account_id = $1");
        command.Parameters.Add(new() { Value = accountId });
        return (int)(long)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>The account's subscription, or null when it has none of that id (another account's included).</summary>
    public async Task<Subscription?> GetAsync(string accountId, string id, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            SELECT s.id, s.name, s.q, s.kind, s.tech_field, s.province, s.region, s.trl_min, s.price_max, s.created_at,
                   (SELECT count(*) FROM tt_subscription_hit h JOIN tt_listing l ON l.id = h.listing_id
                    WHERE h.subscription_id = s.id AND l.status = 'Published')
            FROM tt_subscription s WHERE s.account_id = $1 AND s.id = $2
            """);
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation) ? ReadSubscription(reader) : null;
    }

    /// <summary>Deletes the account's subscription (its results with it); false when it has none of that id.</summary>
    public async Task<bool> DeleteAsync(string accountId, string id, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("DELETE FROM tt_subscription WHERE account_id = $1 AND id = $2");
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteNonQueryAsync(cancellation) > 0;
    }

    /// <summary>
    /// What a subscription found, newest first: listings still on the market (one withdrawn since is no longer shown),
    /// from the public projection. The caller has checked the subscription is the account's.
    /// </summary>
    public async Task<IReadOnlyList<SubscriptionResult>> ResultsOfAsync(string subscriptionId, int skip, int take, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("""
            SELECT l.id, l.kind, l.title, l.tech_field, l.province, l.trl, l.price, h.created_at
            FROM tt_subscription_hit h JOIN tt_listing l ON l.id = h.listing_id
            WHERE h.subscription_id = $1 AND l.status = 'Published'
            ORDER BY h.created_at DESC, l.id LIMIT $2 OFFSET $3
            """);
        command.Parameters.Add(new() { Value = subscriptionId });
        command.Parameters.Add(new() { Value = take });
        command.Parameters.Add(new() { Value = skip });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var results = new List<SubscriptionResult>();
        while (await reader.ReadAsync(cancellation))
            results.Add(new SubscriptionResult(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetDecimal(6), reader.GetFieldValue<DateTimeOffset>(7)));
        return results;
    }

    static Subscription ReadSubscription(NpgsqlDataReader reader)
    {
        string? AnyIsNull(int i) => reader.GetString(i) is var value && value == Any ? null : value;
        var criteria = new SubscriptionCriteria(reader.GetString(2), AnyIsNull(3), AnyIsNull(4), AnyIsNull(5), AnyIsNull(6),
            reader.GetInt32(7) is > 0 and var trl ? trl : null, reader.IsDBNull(8) ? null : reader.GetDecimal(8));
        return new Subscription(reader.GetString(0), reader.GetString(1), criteria, reader.GetFieldValue<DateTimeOffset>(9), (int)reader.GetInt64(10), []);
    }
}
