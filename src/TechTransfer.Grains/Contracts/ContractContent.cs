using System.Globalization;
using TechTransfer.Problems;
using TechTransfer.RegionalCenters;
using TechTransfer.Vocabulary;

namespace TechTransfer.Contracts;

/// <summary>
/// What the deal knows and the registrant cannot change. A trade's deal has one listing: the other id is empty
/// (a 挂牌's or 拍卖's buyer posted no demand, a 招标's winner no achievement). <paramref name="Broker"/> is the broker
/// the contract is attributed to (docs/institutions.md, broker attribution): the one who led the deal, also when the
/// parties registered it themselves within the tail period; null when nobody is.
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.ContractFacts")]
public sealed record ContractFacts(string DealId, string AchievementId, string DemandId, string TechField, string RegionCode,
    string SellerOrganizationId, string BuyerOrganizationId, string? Broker = null)
{
    /// <summary>Facts come from the deal grain, not from a form; still, nothing malformed is numbered or counted.</summary>
    public void Validate(string registryRegion, RegionDirectory regions)
    {
        var v = new Validation();
        v.Text("facts.dealId", DealId, 100);
        // A match's deal has both listings; a trade's deal has the one traded (the achievement of a 挂牌 or 拍卖,
        // the demand of a 招标) and its parties, so one listing id may be empty — but not both.
        var achievement = v.Text("facts.achievementId", AchievementId, 100, required: false);
        var demand = v.Text("facts.demandId", DemandId, 100, required: false);
        if (achievement is null && demand is null) v.Fail("facts.achievementId", "required");
        v.Enum<TechField>("facts.techField", TechField);
        v.Text("facts.sellerOrganizationId", SellerOrganizationId, 100);
        v.Text("facts.buyerOrganizationId", BuyerOrganizationId, 100);
        v.Text("facts.broker", Broker, 100, required: false);
        // A deal's contract is registered by one center (the one leading it, else the seller's), so one registry numbers it.
        if (RegionCode != registryRegion || regions.Find(RegionCode) is null) v.Fail("facts.regionCode", "not-allowed", RegionCode);
        v.ThrowIfInvalid();
    }
}

/// <summary>
/// The registered body of a 技术合同: type, amounts in 万元 (the technology-transaction amount is the part of the
/// contract amount that counts as 技术交易额), the parties as named in the contract, and the signing date.
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.ContractContent")]
public sealed record ContractContent(
    ContractType Type,
    decimal ContractAmount,
    decimal TechTransactionAmount,
    string Seller,
    string Buyer,
    DateOnly SigningDate,
    string? Note);

/// <summary>
/// The registration form as sent (loose types, like <see cref="Achievements.AchievementInput"/>).
/// <paramref name="AcknowledgeBroker"/> is read only when the parties register it themselves: the registrant confirms
/// the broker the contract will be attributed to.
/// </summary>
public sealed record ContractInput(
    string? Type,
    decimal? ContractAmount,
    decimal? TechTransactionAmount,
    string? Seller,
    string? Buyer,
    string? SigningDate,
    string? Note,
    bool? AcknowledgeBroker = null)
{
    public const decimal MaxAmount = 100_000_000m; // 万元, i.e. one trillion yuan
    public static readonly DateOnly Earliest = new(2000, 1, 1);

    public static ContractInput From(ContractContent c) => new(c.Type.ToString(), c.ContractAmount, c.TechTransactionAmount,
        c.Seller, c.Buyer, c.SigningDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.Note);

    /// <param name="today">Today in China (Asia/Shanghai): a contract cannot have been signed after it.</param>
    public ContractContent Validate(DateOnly today)
    {
        var v = new Validation();
        var type = v.Enum<ContractType>("type", Type);
        var amount = Amount(v, "contractAmount", ContractAmount, mayBeZero: false);
        var tech = Amount(v, "techTransactionAmount", TechTransactionAmount, mayBeZero: true);
        if (amount is not null && tech is not null && tech > amount) v.Fail("techTransactionAmount", "exceeds-contract-amount");
        var seller = v.Text("seller", Seller, 100);
        var buyer = v.Text("buyer", Buyer, 100);
        DateOnly? signed = null;
        if (string.IsNullOrWhiteSpace(SigningDate)) v.Fail("signingDate", "required");
        else if (!DateOnly.TryParseExact(SigningDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            v.Fail("signingDate", "invalid-format");
        else if (parsed > today) v.Fail("signingDate", "in-future");
        else if (parsed < Earliest) v.Fail("signingDate", "too-early", Earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        else signed = parsed;
        var note = v.Text("note", Note, 500, required: false, multiline: true);
        v.ThrowIfInvalid();
        return new ContractContent(type!.Value, amount!.Value, tech!.Value, seller!, buyer!, signed!.Value, note);
    }

    static decimal? Amount(Validation v, string field, decimal? value, bool mayBeZero)
    {
        if (value is not { } amount)
        {
            v.Fail(field, "required");
            return null;
        }
        if (amount < 0) v.Fail(field, "not-negative");
        else if (amount == 0 && !mayBeZero) v.Fail(field, "positive");
        else if (amount > MaxAmount) v.Fail(field, "range", $"0–{MaxAmount}");
        // 万元 to six places is one fen; anything finer is a typing accident, not an amount.
        else if (decimal.Round(amount, 6) != amount) v.Fail(field, "invalid-format");
        else return amount;
        return null;
    }
}
