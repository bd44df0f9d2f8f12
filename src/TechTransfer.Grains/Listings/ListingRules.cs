using System.Text.Json;
using TechTransfer.Accounts;
using TechTransfer.Problems;
using TechTransfer.Storage;

namespace TechTransfer.Listings;

/// <summary>Rules every listing grain (achievement or demand) applies the same way.</summary>
public static class ListingRules
{
    public static void EnsureMayEdit(bool exists, Actor actor, string ownerOrganizationId)
    {
        if (!exists) throw new ProblemException(ProblemCodes.NotFound);
        if (!actor.MayEditListingsOf(ownerOrganizationId)) throw new ProblemException(ProblemCodes.Forbidden);
    }

    /// <summary>Published listings are public; the rest only to the owner's organization and national admins.</summary>
    public static bool IsVisible(bool exists, bool published, Actor? viewer, string ownerOrganizationId) =>
        exists && (published || (viewer?.MayEditListingsOf(ownerOrganizationId) ?? false));

    /// <summary>Contacts stay with the owner until both sides of a match agree to meet.</summary>
    public static Contact? ContactFor(Actor? viewer, string ownerOrganizationId, Contact? contact) =>
        viewer?.MayEditListingsOf(ownerOrganizationId) == true ? contact : null;

    public static bool SameContent<T>(T? stored, T incoming) where T : class =>
        stored is not null
        && JsonSerializer.Serialize(stored, TechTransferJson.Options) == JsonSerializer.Serialize(incoming, TechTransferJson.Options);
}
