using TechTransfer.Accounts;
using TechTransfer.Organizations;
using TechTransfer.RegionalCenters;

namespace TechTransfer.Notifications;

/// <summary>
/// The streams an account reads, decided on the server from the stored organization and center (not from what a
/// token claims): its own, its organization's while it is a member, its center's while it is one of its brokers,
/// and national while it is a member of the national level.
/// </summary>
public static class Audiences
{
    /// <summary>The organization whose members are the national level (火炬中心).</summary>
    public const string NationalOrganization = "org-torch";

    public static async Task<string[]> OfAsync(IGrainFactory grains, Actor actor)
    {
        var organization = grains.GetGrain<IOrganizationGrain>(actor.OrganizationId).GetAsync();
        var center = actor is { Role: Vocabulary.Role.Broker, RegionCode: { } region } ? grains.GetGrain<IRegionalCenterGrain>(region).GetAsync() : null;
        var member = (await organization)?.Members.Contains(actor.AccountId) == true;
        var broker = center is not null && (await center).Brokers.Contains(actor.AccountId);
        return [.. new[]
        {
            Inboxes.User(actor.AccountId),
            member ? Inboxes.Organization(actor.OrganizationId) : null,
            broker ? Inboxes.Region(actor.RegionCode!) : null,
            member && actor.OrganizationId == NationalOrganization ? Inboxes.National : null,
        }.OfType<string>()];
    }
}
