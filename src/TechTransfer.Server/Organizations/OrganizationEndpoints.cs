using System.Security.Cryptography;
using System.Text.RegularExpressions;
using TechTransfer.Accounts;
using TechTransfer.Listings;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Security;
using TechTransfer.Vocabulary;

namespace TechTransfer.Organizations;

/// <summary>
/// Who belongs to the network. Organizations apply to join (anonymous) and the center of their province decides;
/// the national level also registers organizations itself. Anyone reads an admitted organization's public page;
/// its admin (or the national level) adds its colleagues and resets their passwords.
/// </summary>
public static partial class OrganizationEndpoints
{
    /// <summary>The registration body; <paramref name="Id"/> is optional (a fresh "org-…" id otherwise).</summary>
    public sealed record OrganizationInput(string? Id, string? Name, string? Kind, string? Province);

    /// <summary>机构入驻申请: the organization, how to reach it (phone or e-mail), and its first admin's account.</summary>
    public sealed record ApplicationInput(
        string? Name, string? Kind, string? Province, string? Phone, string? Email, string? Account, string? DisplayName, string? Password);

    /// <summary>Without a password the server chooses a temporary one, shown once, which the account must change at sign-in.</summary>
    public sealed record AccountInput(string? Account, string? DisplayName, string? Role, string? Password);

    /// <summary>Reason: why an application is rejected (required then; the applicant reads it).</summary>
    public sealed record VerificationInput(bool? Verified, string? Reason = null);

    public sealed record CreatedAccount(string AccountId, string Account, string DisplayName, string OrganizationId, string Role,
        string? TemporaryPassword = null);

    public sealed record PasswordReset(string AccountId, string DisplayName, string TemporaryPassword);

    /// <summary>The center that reviews an organization's application: the one of its province.</summary>
    public sealed record Center(string Code, string Name);

    /// <summary>
    /// An organization as its page shows it. Standing: Registered (by the national level), Pending, Approved or
    /// Rejected (an application). Members and the application (contact, reason) only for those entitled.
    /// </summary>
    public sealed record OrganizationPage(
        string Id, string Name, string Kind, string Province, string? RegionCode, string[] Members, DateTimeOffset CreatedAt,
        bool Verified, string Standing, Center? ReviewingCenter, OrganizationApplication? Application);

    public sealed record ApplicationResponse(string Account, OrganizationPage Organization);

    public sealed record Member(string AccountId, string Account, string DisplayName, string Role, bool MustChangePassword, DateTimeOffset CreatedAt);

    public sealed record MemberPage(IReadOnlyList<Member> Items, int Page, int Size, long Total);

    public static void MapOrganizations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/organizations").WithTags("Organizations");

        group.MapPost("/applications", ApplyAsync).RequireRateLimiting(RateLimits.Applications).Produces<ApplicationResponse>(StatusCodes.Status201Created);
        group.MapGet("/applications", ApplicationsAsync).RequireAuthorization().Produces<ApplicationPage>();

        group.MapGet("/{id}", async (string id, HttpContext http, IGrainFactory grains, RegionDirectory regions) =>
        {
            var view = await VisibleAsync(grains, regions, id, http.User.Actor());
            return TypedResults.Ok(Page(view, http.User.Actor(), regions));
        });

        group.MapGet("/{id}/record", async (string id, HttpContext http, IGrainFactory grains, RegionDirectory regions,
            OrganizationProjection projection, CancellationToken cancellation) =>
        {
            await VisibleAsync(grains, regions, id, http.User.Actor());
            return TypedResults.Ok(await projection.RecordAsync(id, cancellation));
        });

        group.MapPost("/", async (OrganizationInput input, HttpContext http, IGrainFactory grains, RegionDirectory regions) =>
        {
            if (!http.User.RequiredActor().IsNationalAdmin) throw new ProblemException(ProblemCodes.Forbidden);
            var (id, profile) = Validate(input, regions);
            var grain = grains.GetGrain<IOrganizationGrain>(id);
            var existed = await grain.GetAsync() is not null;
            var view = await grain.RegisterAsync(profile); // the same registration again is a no-op; a different one 409
            return existed ? (IResult)TypedResults.Ok(view) : TypedResults.Created($"/api/organizations/{id}", view);
        }).RequireAuthorization().Produces<OrganizationView>().Produces<OrganizationView>(StatusCodes.Status201Created);

        group.MapPost("/{id}/verification", SetVerificationAsync).RequireAuthorization().Produces<OrganizationPage>();
        group.MapGet("/{id}/members", MembersAsync).RequireAuthorization().Produces<MemberPage>();
        group.MapPost("/{id}/accounts", AddAccountAsync).RequireAuthorization().Produces<CreatedAccount>(StatusCodes.Status201Created);
        group.MapPost("/{id}/members/{accountId}/password-reset", ResetPasswordAsync).RequireAuthorization().Produces<PasswordReset>();
    }

    /// <summary>
    /// Anonymous. Creates the first admin's account (reserving the name) and the organization, pending review by the
    /// center of its province; nothing of it is public until approved. The same application again answers the same.
    /// </summary>
    static async Task<IResult> ApplyAsync(ApplicationInput input, IGrainFactory grains, RegionDirectory regions)
    {
        var v = new Validation();
        var name = v.Text("name", input.Name, 100);
        var kind = v.Enum<OrganizationKind>("kind", input.Kind);
        // Service centers are appointed and the national level is seeded: neither applies.
        if (kind is OrganizationKind.ServiceCenter or OrganizationKind.National) v.Fail("kind", "not-allowed", kind.ToString());
        var province = v.Province("province", input.Province);
        var phone = v.Phone("phone", input.Phone);
        var email = v.Email("email", input.Email);
        if (string.IsNullOrWhiteSpace(input.Phone) && string.IsNullOrWhiteSpace(input.Email)) v.Fail("phone", "phone-or-email");
        var account = AccountName(v, input.Account);
        var displayName = v.Text("displayName", input.DisplayName, 50);
        Password(v, "password", input.Password);
        v.ThrowIfInvalid();

        var accountId = AccountKeys.Of(account!);
        var view = await grains.GetGrain<IAccountGrain>(accountId)
            .ApplyAsync(displayName!, new OrganizationProfile(name!, kind!.Value, province!), phone, email, input.Password!);
        var applicant = new Actor(accountId, view.Id, kind.Value, Role.OrganizationAdmin);
        return TypedResults.Created($"/api/organizations/{view.Id}", new ApplicationResponse(account!.ToLowerInvariant(), Page(view, applicant, regions)));
    }

    /// <summary>The applications a center admin decides (its region's) or the national level (all), newest first.</summary>
    static async Task<IResult> ApplicationsAsync(string? status, string? region, int? page, int? size, HttpContext http,
        OrganizationProjection projection, RegionDirectory regions, CancellationToken cancellation)
    {
        var actor = http.User.RequiredActor();
        if (!actor.IsNationalAdmin && !(actor.Role == Role.CenterAdmin && actor.RegionCode is not null))
            throw new ProblemException(ProblemCodes.Forbidden);
        var v = new Validation();
        var wanted = v.Enum<ApplicationStatus>("status", status, required: false);
        if (region is not null && regions.Find(region) is null) v.Fail("region", "unknown-value", region.Length > 40 ? region[..40] : region);
        v.ThrowIfInvalid();
        var (p, s) = ListingHttp.Paging(page, size);
        var scope = actor.IsNationalAdmin ? region : actor.RegionCode;
        return TypedResults.Ok(await projection.ApplicationsAsync(scope, (wanted ?? ApplicationStatus.Pending).ToString(), p, s, cancellation));
    }

    /// <summary>National admins verify any organization; a center admin those in the provinces of their center.</summary>
    static async Task<IResult> SetVerificationAsync(string id, VerificationInput input, HttpContext http, IGrainFactory grains, RegionDirectory regions)
    {
        var actor = http.User.RequiredActor();
        var organization = await Organization(grains, id).GetAsync() ?? throw new ProblemException(ProblemCodes.NotFound);
        if (!IsReviewer(actor, organization, regions)) throw new ProblemException(ProblemCodes.Forbidden);
        var v = new Validation();
        if (input.Verified is null) v.Fail("verified", "required");
        // The applicant is told why: a rejection of an application needs its reason.
        var reason = v.Text("reason", input.Reason, 500, required: input.Verified == false && organization.Application is not null, multiline: true);
        v.ThrowIfInvalid();
        var decided = await Organization(grains, id).SetVerifiedAsync(input.Verified!.Value, reason, actor.AccountId);
        return TypedResults.Ok(Page(decided, actor, regions));
    }

    /// <summary>Members with their names and roles: for the organization itself, the center that reviews it and the national level.</summary>
    static async Task<IResult> MembersAsync(string id, int? page, int? size, HttpContext http, IGrainFactory grains, RegionDirectory regions)
    {
        var actor = http.User.RequiredActor();
        var organization = await Organization(grains, id).GetAsync() ?? throw new ProblemException(ProblemCodes.NotFound);
        if (actor.OrganizationId != id && !IsReviewer(actor, organization, regions)) throw new ProblemException(ProblemCodes.Forbidden);
        var (p, s) = ListingHttp.Paging(page, size);
        var summaries = await Task.WhenAll(organization.Members.Skip((p - 1) * s).Take(s)
            .Select(m => grains.GetGrain<IAccountGrain>(m).GetSummaryAsync()));
        var items = summaries.OfType<AccountSummary>()
            .Select(a => new Member(a.AccountId, a.Account, a.DisplayName, a.Role.ToString(), a.MustChangePassword, a.CreatedAt)).ToList();
        return TypedResults.Ok(new MemberPage(items, p, s, organization.Members.Length));
    }

    static async Task<IResult> AddAccountAsync(string id, AccountInput input, HttpContext http, IGrainFactory grains)
    {
        var actor = http.User.RequiredActor();
        var ownAdmin = actor.Role == Role.OrganizationAdmin && actor.OrganizationId == id;
        if (!actor.IsNationalAdmin && !ownAdmin) throw new ProblemException(ProblemCodes.Forbidden);
        var organization = await Organization(grains, id).GetAsync() ?? throw new ProblemException(ProblemCodes.NotFound);
        // An applicant grows no accounts before its center has approved it.
        if (!actor.IsNationalAdmin) await Admission.RequireAdmittedAsync(grains, id);
        var kind = Enum.Parse<OrganizationKind>(organization.Kind);

        var v = new Validation();
        var account = AccountName(v, input.Account);
        var displayName = v.Text("displayName", input.DisplayName, 50);
        var role = v.Enum<Role>("role", input.Role);
        if (input.Password is not null) Password(v, "password", input.Password);
        // Admins add colleagues; a center's brokers and center admins are appointed by the national level; nobody
        // makes national admins through this door.
        var centerStaff = role is Role.Broker or Role.CenterAdmin && kind == OrganizationKind.ServiceCenter;
        if (role is not null && role is not (Role.Member or Role.OrganizationAdmin) && !centerStaff)
            v.Fail("role", "not-allowed", role.ToString());
        v.ThrowIfInvalid();
        if (centerStaff && !actor.IsNationalAdmin) throw new ProblemException(ProblemCodes.Forbidden);

        // A password the caller chose stays (integrations set their own); one the server chose is temporary.
        var temporary = input.Password is null ? TemporaryPassword() : null;
        var accountId = AccountKeys.Of(account!);
        await grains.GetGrain<IAccountGrain>(accountId).CreateAsync(
            new AccountProfile(displayName!, id, kind, role!.Value, organization.RegionCode), input.Password ?? temporary!, mustChangePassword: temporary is not null);
        if (role == Role.Broker && centerStaff) await grains.GetGrain<IRegionalCenterGrain>(organization.RegionCode!).AddBrokerAsync(accountId);
        if (temporary is not null) http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created((string?)null,
            new CreatedAccount(accountId, account!.ToLowerInvariant(), displayName!, id, role.Value.ToString(), temporary));
    }

    /// <summary>
    /// Sets a temporary password (shown once to the person resetting it, who passes it on; there is no mail here),
    /// revokes the account's tokens and makes it change the password at sign-in. An organization's admin resets its
    /// members; a center admin the admins of organizations in its provinces; the national level anyone.
    /// </summary>
    static async Task<IResult> ResetPasswordAsync(string id, string accountId, HttpContext http, IGrainFactory grains, RegionDirectory regions)
    {
        var actor = http.User.RequiredActor();
        var organization = await Organization(grains, id).GetAsync() ?? throw new ProblemException(ProblemCodes.NotFound);
        // Only an account of this organization: the membership list is the organization's own word.
        if (!organization.Members.Contains(accountId)) throw new ProblemException(ProblemCodes.NotFound);
        var target = await grains.GetGrain<IAccountGrain>(accountId).GetSummaryAsync() ?? throw new ProblemException(ProblemCodes.NotFound);
        var allowed = actor.IsNationalAdmin
            || (actor.Role == Role.OrganizationAdmin && actor.OrganizationId == id && target.Role is Role.Member or Role.OrganizationAdmin)
            || (actor.Role == Role.CenterAdmin && IsReviewer(actor, organization, regions) && target.Role == Role.OrganizationAdmin);
        // One's own password is changed with the current one, not reset.
        if (!allowed || accountId == actor.AccountId) throw new ProblemException(ProblemCodes.Forbidden);
        var temporary = TemporaryPassword();
        await grains.GetGrain<IAccountGrain>(accountId).ResetPasswordAsync(temporary);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new PasswordReset(accountId, target.DisplayName, temporary));
    }

    /// <summary>
    /// An organization as <paramref name="viewer"/> may see it. One whose application is pending or was rejected is
    /// not public: only its own people, its reviewers and the national level see it (404 for the rest).
    /// </summary>
    internal static async Task<OrganizationView> VisibleAsync(IGrainFactory grains, RegionDirectory regions, string id, Actor? viewer)
    {
        var view = await Organization(grains, id).GetAsync() ?? throw new ProblemException(ProblemCodes.NotFound);
        var admitted = view.Application is null or { Status: ApplicationStatus.Approved };
        if (!admitted && !(viewer is not null && (viewer.OrganizationId == id || IsReviewer(viewer, view, regions))))
            throw new ProblemException(ProblemCodes.NotFound);
        return view;
    }

    /// <summary>The national level, or a center admin of the region of the organization's province.</summary>
    static bool IsReviewer(Actor actor, OrganizationView organization, RegionDirectory regions) =>
        actor.IsNationalAdmin || (actor.Role == Role.CenterAdmin && actor.RegionCode is not null
            && regions.OfProvince(organization.Province)?.Code == actor.RegionCode);

    static OrganizationPage Page(OrganizationView view, Actor? viewer, RegionDirectory regions)
    {
        var insider = viewer is not null && (viewer.OrganizationId == view.Id || viewer.IsNationalAdmin);
        var reviewer = viewer is not null && IsReviewer(viewer, view, regions);
        var region = regions.OfProvince(view.Province);
        var standing = view.Application?.Status.ToString() ?? "Registered";
        return new OrganizationPage(view.Id, view.Name, view.Kind, view.Province, view.RegionCode, insider ? view.Members : [], view.CreatedAt,
            view.Verified, standing, region is null ? null : new Center(region.Code, region.Name),
            insider || reviewer ? view.Application : null);
    }

    static string? AccountName(Validation v, string? input)
    {
        var account = v.Text("account", input, 64);
        if (account is not null && !AccountNamePattern().IsMatch(account)) v.Fail("account", "invalid-format");
        return account;
    }

    static void Password(Validation v, string field, string? password)
    {
        if (string.IsNullOrEmpty(password)) v.Fail(field, "required");
        else if (password.Length is < 10 or > 128) v.Fail(field, "length", "10–128");
    }

    // 12 random characters people can read out and type (no 0/O/o, 1/l/I/i), grouped by 4: about 69 bits.
    static string TemporaryPassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var s = RandomNumberGenerator.GetString(alphabet, 12);
        return $"{s[..4]}-{s[4..8]}-{s[8..]}";
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
    private static partial Regex AccountNamePattern();
}
