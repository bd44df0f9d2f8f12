using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using TechTransfer.Accounts;

namespace TechTransfer.Security;

/// <summary>
/// Issues the Bearer tokens of the API, the hub and the portal cookie. Every host of a cluster must accept
/// every other host's tokens, so the signing key lives in PostgreSQL, created by whichever host starts first.
/// </summary>
public sealed class TokenIssuer(SymmetricSecurityKey key, TimeProvider clock, TimeSpan lifetime)
{
    public const string Issuer = "techtransfer";
    public const string CookieName = "tt_token";

    public SymmetricSecurityKey Key => key;

    public TimeSpan Lifetime => lifetime;

    /// <summary>A token for the account at <paramref name="tokenVersion"/>; it stops working once the account's version moves on.</summary>
    public string Issue(Actor actor, string displayName, int tokenVersion, bool mustChangePassword = false)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(ActorClaims.From(actor, displayName, tokenVersion, mustChangePassword)),
        });
    }

    public static async Task<SymmetricSecurityKey> LoadSigningKeyAsync(string connectionString, CancellationToken cancellation = default)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var command = db.CreateCommand("""
            WITH created AS (
                INSERT INTO tt_secret (name, value) VALUES ('token-signing-key', $1) ON CONFLICT (name) DO NOTHING RETURNING value)
            SELECT value FROM created UNION ALL SELECT value FROM tt_secret WHERE name = 'token-signing-key' LIMIT 1
            """);
        command.Parameters.Add(new() { Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)) });
        var stored = (string)(await command.ExecuteScalarAsync(cancellation))!;
        return new SymmetricSecurityKey(Convert.FromBase64String(stored)) { KeyId = "tt-1" };
    }
}
