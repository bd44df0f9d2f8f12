using System.Security.Cryptography;
using System.Text;

namespace TechTransfer.Listings;

/// <summary>
/// Listing ids carry a kind prefix (never all digits: Orleans would read such a key as a number) and are
/// either random, derived from an Idempotency-Key (a retried create meets its first attempt) or, for catalogue imports, derived from the owner and the external id so a re-import
/// addresses the same grain.
/// </summary>
public static class ListingIds
{
    public const string AchievementPrefix = "ach-";
    public const string DemandPrefix = "dem-";

    public static string NewAchievement() => NewAchievement(null);

    public static string NewDemand() => NewDemand(null);

    /// <summary>A new id: random, or derived from the request's idempotency seed so that a retry addresses the same grain.</summary>
    public static string NewAchievement(string? requestSeed) =>
        requestSeed is null ? AchievementPrefix + Guid.CreateVersion7().ToString("N") : Derived(AchievementPrefix, "request", requestSeed);

    public static string NewDemand(string? requestSeed) =>
        requestSeed is null ? DemandPrefix + Guid.CreateVersion7().ToString("N") : Derived(DemandPrefix, "request", requestSeed);

    public static string AchievementFromCatalogue(string organizationId, string externalId) =>
        Derived(AchievementPrefix, organizationId, externalId);

    public static string DemandFromCatalogue(string organizationId, string externalId) =>
        Derived(DemandPrefix, organizationId, externalId);

    static string Derived(string prefix, string organizationId, string externalId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(organizationId + "\n" + externalId));
        return prefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    public static bool IsAchievement(string? id) => IsWellFormed(id, AchievementPrefix);

    public static bool IsDemand(string? id) => IsWellFormed(id, DemandPrefix);

    static bool IsWellFormed(string? id, string prefix) =>
        id is { Length: > 4 and <= 64 } && id.StartsWith(prefix, StringComparison.Ordinal)
        && id.AsSpan(prefix.Length).IndexOfAnyExcept("0123456789abcdef") < 0;
}
