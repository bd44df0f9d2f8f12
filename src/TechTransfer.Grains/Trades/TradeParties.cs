using TechTransfer.Accounts;
using TechTransfer.Deals;
using TechTransfer.Organizations;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Vocabulary;

namespace TechTransfer.Trades;

/// <summary>The checks and facts every trade needs about its parties: who may take part, and the deal a concluded trade opens.</summary>
public static class TradeParties
{
    /// <summary>
    /// A buyer (bidder, acceptor) must be a verified enterprise other than the seller. The organization grain is asked
    /// every time, so revoking a verification takes effect on the next bid.
    /// </summary>
    public static async Task RequireVerifiedBuyerAsync(IGrainFactory grains, Actor actor, string sellerOrganizationId)
    {
        if (actor.OrganizationId == sellerOrganizationId) throw new ProblemException(ProblemCodes.OwnTrade);
        if (actor.OrganizationKind != OrganizationKind.Enterprise) throw new ProblemException(ProblemCodes.NotVerified);
        var organization = await grains.GetGrain<IOrganizationGrain>(actor.OrganizationId).GetAsync();
        if (organization is not { Verified: true }) throw new ProblemException(ProblemCodes.NotVerified);
    }

    /// <summary>
    /// The facts of the deal a trade opens: the supply side (an achievement's owner, or a tender's winning institution)
    /// as the "achievement" party and the buyer as the "demand" party; a side without a listing has an empty id.
    /// </summary>
    public static async Task<DealFacts> DealFactsAsync(IGrainFactory grains, RegionDirectory regions, string kindZh,
        string achievementId, string achievementTitle, string supplierOrganizationId,
        string demandId, string? demandTitle, string buyerOrganizationId, string techField)
    {
        var supplier = await grains.GetGrain<IOrganizationGrain>(supplierOrganizationId).GetAsync();
        var buyer = await grains.GetGrain<IOrganizationGrain>(buyerOrganizationId).GetAsync();
        return new DealFacts(achievementId, demandId, 100,
            achievementTitle.Length > 0 ? achievementTitle : $"（{kindZh}中标方）{supplier?.Name ?? supplierOrganizationId}",
            demandTitle ?? $"（{kindZh}买方）{buyer?.Name ?? buyerOrganizationId}",
            supplierOrganizationId, buyerOrganizationId,
            regions.OfProvince(supplier?.Province)?.Code, regions.OfProvince(buyer?.Province)?.Code, techField);
    }
}
