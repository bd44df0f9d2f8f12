using TechTransfer.Listings;
using TechTransfer.Problems;
using TechTransfer.Vocabulary;

namespace TechTransfer.Achievements;

/// <summary>What the owner writes about a 科技成果: the validated create/update body.</summary>
[GenerateSerializer, Immutable, Alias("tt.AchievementContent")]
public sealed record AchievementContent(
    string Title,
    string Summary,
    string[] Keywords,
    TechField TechField,
    int Trl,
    TransferMode[] TransferModes,
    decimal? AskingPrice,
    string Province,
    IpRight[] IpRights,
    Contact? Contact) : IListingContent;

/// <summary>An intellectual-property right behind an achievement, e.g. (InventionPatent, "ZL202310000001.X").</summary>
[GenerateSerializer, Immutable, Alias("tt.IpRight")]
public sealed record IpRight(IpRightKind Kind, string Number);

/// <summary>
/// The public create body other platforms sync with. Loose types on purpose: an unknown enum name or a bad
/// number becomes a field-level error with a message, not a deserialisation failure.
/// </summary>
public sealed record AchievementInput(
    string? Title,
    string? Summary,
    List<string?>? Keywords,
    string? TechField,
    int? Trl,
    List<string?>? TransferModes,
    decimal? AskingPrice,
    string? Province,
    List<IpRightInput?>? IpRights,
    ContactInput? Contact,
    string? ExternalId = null)
{
    public AchievementContent Validate()
    {
        var v = new Validation();
        var title = v.Text("title", Title, 200);
        var summary = v.Text("summary", Summary, 5000, multiline: true);
        var keywords = v.Keywords("keywords", Keywords);
        var field = v.Enum<TechField>("techField", TechField);
        var trl = v.Range("trl", Trl, 1, 9);
        var modes = new List<TransferMode>();
        if (TransferModes is null || TransferModes.Count == 0) v.Fail("transferModes", "required");
        else if (TransferModes.Count > 6) v.Fail("transferModes", "max-items", "6");
        else
            for (var i = 0; i < TransferModes.Count; i++)
                if (v.Enum<TransferMode>($"transferModes[{i}]", TransferModes[i]) is { } mode && !modes.Contains(mode)) modes.Add(mode);
        var price = v.Amount("askingPrice", AskingPrice);
        var province = v.Province("province", Province);
        var rights = new List<IpRight>();
        if (IpRights is { Count: > 20 }) v.Fail("ipRights", "max-items", "20");
        else
            for (var i = 0; i < (IpRights?.Count ?? 0); i++)
            {
                var right = IpRights![i];
                var kind = v.Enum<IpRightKind>($"ipRights[{i}].kind", right?.Kind);
                var number = v.Text($"ipRights[{i}].number", right?.Number, 64);
                if (kind is { } k && number is not null) rights.Add(new IpRight(k, number));
            }
        var contact = Contact is null ? null : Contact.Validate(v);
        if (Contact is null) v.Fail("contact", "required");
        v.Text("externalId", ExternalId, 100, required: false);
        v.ThrowIfInvalid();
        return new AchievementContent(title!, summary!, keywords, field!.Value, trl!.Value, [.. modes], price, province!,
            [.. rights], contact);
    }
}

public sealed record IpRightInput(string? Kind, string? Number);
