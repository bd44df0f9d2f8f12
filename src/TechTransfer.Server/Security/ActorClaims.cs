using System.Security.Claims;
using TechTransfer.Accounts;
using TechTransfer.Vocabulary;

namespace TechTransfer.Security;

/// <summary>How an <see cref="Actor"/> travels inside a signed token, and back.</summary>
public static class ActorClaims
{
    const string Organization = "org";
    const string OrganizationKindClaim = "orgKind";
    const string RoleClaim = "role";
    const string Region = "region";
    const string Name = "name";
    const string TokenVersionClaim = "tv";
    const string MustChangePasswordClaim = "pwc";

    public static IEnumerable<Claim> From(Actor actor, string displayName, int tokenVersion, bool mustChangePassword = false)
    {
        if (mustChangePassword) yield return new Claim(MustChangePasswordClaim, "1");
        yield return new Claim("sub", actor.AccountId);
        yield return new Claim(TokenVersionClaim, tokenVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer32);
        yield return new Claim(Name, displayName);
        yield return new Claim(Organization, actor.OrganizationId);
        yield return new Claim(OrganizationKindClaim, actor.OrganizationKind.ToString());
        yield return new Claim(RoleClaim, actor.Role.ToString());
        if (actor.RegionCode is not null) yield return new Claim(Region, actor.RegionCode);
    }

    /// <summary>The signed-in actor, or null for an anonymous request.</summary>
    public static Actor? Actor(this ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        var account = user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier);
        var organization = user.FindFirstValue(Organization);
        if (account is null || organization is null
            || !Enum.TryParse<OrganizationKind>(user.FindFirstValue(OrganizationKindClaim), out var kind)
            || !Enum.TryParse<Role>(user.FindFirstValue(RoleClaim), out var role))
            return null;
        return new Actor(account, organization, kind, role, user.FindFirstValue(Region));
    }

    /// <summary>The account's token version when the token was issued (see <see cref="TokenRevocation"/>).</summary>
    public static int? TokenVersion(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(TokenVersionClaim), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The token was issued for a temporary password: it opens nothing but the password change (<see cref="AuthEndpoints.PasswordChangeGate"/>).</summary>
    public static bool MustChangePassword(this ClaimsPrincipal user) => user.FindFirstValue(MustChangePasswordClaim) == "1";

    public static string DisplayName(this ClaimsPrincipal user) => user.FindFirstValue(Name) ?? "";

    /// <summary>For endpoints that require sign-in (RequireAuthorization has already turned strangers away).</summary>
    public static Actor RequiredActor(this ClaimsPrincipal user) =>
        user.Actor() ?? throw new Problems.ProblemException(Problems.ProblemCodes.Unauthorized);
}
