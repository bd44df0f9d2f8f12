using System.Globalization;
using TechTransfer.Accounts;
using TechTransfer.Vocabulary;

namespace TechTransfer.Contracts;

/// <summary>Who may see and correct a registered contract, and what a correction does to it.</summary>
public static class ContractRules
{
    public const string ContractAmount = "contractAmount";
    public const string TechTransactionAmount = "techTransactionAmount";

    /// <summary>The fields an amendment may correct; type, signing date and the deal's facts are what was registered.</summary>
    public static readonly IReadOnlyList<string> AmendableFields = [ContractAmount, TechTransactionAmount, "seller", "buyer", "note"];

    public static bool IsAmountField(string field) => field is ContractAmount or TechTransactionAmount;

    /// <summary>A broker (or admin) of the given regional center.</summary>
    public static bool IsStaffOf(Actor actor, string regionCode) =>
        actor.OrganizationKind == OrganizationKind.ServiceCenter && actor.Role is Role.Broker or Role.CenterAdmin
        && actor.RegionCode == regionCode;

    /// <summary>The registering center's staff and the national level register and amend.</summary>
    public static bool MayRegisterOrAmend(Actor actor, string regionCode) => actor.IsNationalAdmin || IsStaffOf(actor, regionCode);

    /// <summary>
    /// Who may register a deal's contract with a registry: its staff and national, and the seller's own organization
    /// (技术合同 are registered by the seller, here when the parties signed outside the deal flow; the deal decides when).
    /// </summary>
    public static bool MayRegister(Actor actor, string regionCode, ContractFacts facts) =>
        MayRegisterOrAmend(actor, regionCode) || actor.OrganizationId == facts.SellerOrganizationId;

    /// <summary>Besides those, the members of both parties' organizations see the contract.</summary>
    public static bool MaySee(Actor? actor, ContractFacts facts) =>
        actor is not null && (MayRegisterOrAmend(actor, facts.RegionCode)
            || actor.OrganizationId == facts.SellerOrganizationId || actor.OrganizationId == facts.BuyerOrganizationId);

    /// <summary>The effective contract: the original with every amendment applied in order.</summary>
    public static ContractContent Effective(ContractContent original, IEnumerable<ContractAmendment> amendments) =>
        amendments.Aggregate(original, (content, a) => With(content, a.Field, a.NewValue));

    /// <summary>The content with one field set to <paramref name="value"/> (invariant text, as amendments store it).</summary>
    public static ContractContent With(ContractContent content, string field, string? value) => field switch
    {
        ContractAmount => content with { ContractAmount = decimal.Parse(value!, NumberStyles.Float, CultureInfo.InvariantCulture) },
        TechTransactionAmount => content with { TechTransactionAmount = decimal.Parse(value!, NumberStyles.Float, CultureInfo.InvariantCulture) },
        "seller" => content with { Seller = value! },
        "buyer" => content with { Buyer = value! },
        "note" => content with { Note = value },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not an amendable field."),
    };

    public static string? ValueOf(ContractContent content, string field) => field switch
    {
        ContractAmount => content.ContractAmount.ToString(CultureInfo.InvariantCulture),
        TechTransactionAmount => content.TechTransactionAmount.ToString(CultureInfo.InvariantCulture),
        "seller" => content.Seller,
        "buyer" => content.Buyer,
        "note" => content.Note,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not an amendable field."),
    };
}
