using System.Text.RegularExpressions;
using TechTransfer.Accounts;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Security;
using TechTransfer.Vocabulary;

namespace TechTransfer.Organizations;

/// <summary>
/// Who belongs to the network: anyone reads an organization's public profile; the national level registers
/// organizations; an organization's admin (or the national level) adds its colleagues.
/// </summary>
public static partial class OrganizationEndpoints
{
    /// <summary>The registration body; <paramref name="Id"/> is optional (a fresh "org-…" id otherwise).</summary>
    public sealed record OrganizationInput(string? Id, string? Name, string? Kind, string? Province);

    public sealed record AccountInput(string? Account, string? DisplayName, string? Role, string? Password);

    public sealed record VerificationInput(bool? Verified);

    public sealed record CreatedAccount(string AccountId, string Account, string DisplayName, string OrganizationId, string Role);

    public static void MapOrganizations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations").WithTags("Organizations");

        group.MapGet("/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
        {
            var view = await Organization(grains, id).GetAsync() ?? throw new ProblemException(ProblemCodes.NotFound);
            // The public profile for everyone; who belongs to it only for its own members and the national level.
            var actor = http.User.Actor();
            var insider = actor is not null && (actor.OrganizationId == id || actor.IsNationalAdmin);
            return TypedResults.Ok(insider ? view : view with { Members = [] });
        });

        group.MapPost("/", async (OrganizationInput input, HttpContext http, IGrainFactory grains, RegionDirectory regions) =>
        {
            if (!http.User.RequiredActor().IsNationalAdmin) throw new ProblemException(ProblemCodes.Forbidden);
            var (id, profile) = Validate(input, regions);
            var grain = grains.GetGrain<IOrganizationGrain>(id);
            var existed = await grain.GetAsync() is not null;
            var view = await grain.RegisterAsync(profile); // the same registration again is a no-op; a different one 409
            return existed ? (IResult)TypedResults.Ok(view) : TypedResults.Created($"/api/organizations/{id}", view);
        }).RequireAuthorization();

        group.MapPost("/{id}/verification", SetVerificationAsync).RequireAuthorization();

        group.MapPost("/{id}/accounts", async (string id, AccountInput input, HttpContext http, IGrainFactory grains) =>
        {
            var actor = http.User.RequiredActor();
            var ownAdmin = actor.Role == Role.OrganizationAdmin && actor.OrganizationId == id;
            if (!actor.IsNationalAdmin && !ownAdmin) throw new ProblemException(ProblemCodes.Forbidden);
            var organization = await Organization(grains, id).GetAsync() ?? throw new ProblemException(ProblemCodes.NotFound);
            var kind = Enum.Parse<OrganizationKind>(organization.Kind);

            var v = new Validation();
            var account = v.Text("account", input.Account, 64);
            if (account is not null && !AccountName().IsMatch(account)) v.Fail("account", "invalid-format");
            var displayName = v.Text("displayName", input.DisplayName, 50);
            var role = v.Enum<Role>("role", input.Role);
            if (string.IsNullOrEmpty(input.Password)) v.Fail("password", "required");
            else if (input.Password.Length is < 10 or > 128) v.Fail("password", "length", "10–128");
            // Admins add colleagues; a center's brokers and center admins are appointed by the national level; nobody
            // makes national admins through this door.
            var centerStaff = role is Role.Broker or Role.CenterAdmin && kind == OrganizationKind.ServiceCenter;
            if (role is not null && role is not (Role.Member or Role.OrganizationAdmin) && !centerStaff)
                v.Fail("role", "not-allowed", role.ToString());
            v.ThrowIfInvalid();
            if (centerStaff && !actor.IsNationalAdmin) throw new ProblemException(ProblemCodes.Forbidden);

            var accountId = AccountKeys.Of(account!);
            await grains.GetGrain<IAccountGrain>(accountId).CreateAsync(
                new AccountProfile(displayName!, id, kind, role!.Value, organization.RegionCode), input.Password!);
            if (role == Role.Broker && centerStaff) await grains.GetGrain<IRegionalCenterGrain>(organization.RegionCode!).AddBrokerAsync(accountId);
            return TypedResults.Created((string?)null,
                new CreatedAccount(accountId, account!.ToLowerInvariant(), displayName!, id, role.Value.ToString()));
        }).RequireAuthorization();
    }

    /// <summary>National admins verify any organization; a center admin those in the provinces of their center.</summary>
    static async Task<IResult> SetVerificationAsync(string id, VerificationInput input, HttpContext http, IGrainFactory grains, RegionDirectory regions)
    {
        var actor = http.User.RequiredActor();
        var organization = await Organization(grains, id).GetAsync() ?? throw new ProblemException(ProblemCodes.NotFound);
        var ownCenter = actor.Role == Role.CenterAdmin && actor.RegionCode is not null
            && regions.OfProvince(organization.Province)?.Code == actor.RegionCode;
        if (!actor.IsNationalAdmin && !ownCenter) throw new ProblemException(ProblemCodes.Forbidden);
        if (input.Verified is null) throw ProblemException.Invalid([new FieldError("verified", "required")]);
        return TypedResults.Ok(await Organization(grains, id).SetVerifiedAsync(input.Verified.Value));
    }

    static (string Id, OrganizationProfile Profile) Validate(OrganizationInput input, RegionDirectory regions)
    {
        var v = new Validation();
        var id = v.Text("id", input.Id, 64, required: false);
        if (id is not null && !OrganizationId().IsMatch(id)) v.Fail("id", "invalid-format");
        var name = v.Text("name", input.Name, 100);
        var kind = v.Enum<OrganizationKind>("kind", input.Kind);
        // There is one national level (org-torch), seeded, not registered.
        if (kind == OrganizationKind.National) v.Fail("kind", "not-allowed", kind.ToString());
        var province = v.Province("province", input.Province);
        v.ThrowIfInvalid();
        // A service center serves the region of its province (silo-config/regions.json).
        var region = kind == OrganizationKind.ServiceCenter ? regions.OfProvince(province)!.Code : null;
        return (id ?? "org-" + Guid.CreateVersion7().ToString("N"), new OrganizationProfile(name!, kind!.Value, province!, region));
    }

    // Malformed ids never reach a grain: no activation for garbage keys.
    static IOrganizationGrain Organization(IGrainFactory grains, string id) =>
        OrganizationId().IsMatch(id) ? grains.GetGrain<IOrganizationGrain>(id) : throw new ProblemException(ProblemCodes.NotFound);

    [GeneratedRegex("^org-[a-z0-9][a-z0-9-]{0,59}$")]
    private static partial Regex OrganizationId();

    // What people type at sign-in (stored lower-cased): letters, digits, '.', '_' and '-'.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")]
    private static partial Regex AccountName();
}
