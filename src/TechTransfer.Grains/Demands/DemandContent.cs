using System.Globalization;
using TechTransfer.Listings;
using TechTransfer.Problems;
using TechTransfer.Vocabulary;

namespace TechTransfer.Demands;

/// <summary>What an enterprise writes about a 技术需求: the validated create/update body.</summary>
[GenerateSerializer, Immutable, Alias("tt.DemandContent")]
public sealed record DemandContent(
    string Title,
    string Description,
    string[] Keywords,
    TechField TechField,
    int MinTrl,
    decimal? BudgetMin,
    decimal? BudgetMax,
    string Province,
    DateOnly Deadline,
    Contact? Contact) : IListingContent;

/// <summary>The public create body for demands (loose types; see <see cref="Achievements.AchievementInput"/>).</summary>
public sealed record DemandInput(
    string? Title,
    string? Description,
    List<string?>? Keywords,
    string? TechField,
    int? MinTrl,
    decimal? BudgetMin,
    decimal? BudgetMax,
    string? Province,
    string? Deadline,
    ContactInput? Contact)
{
    /// <param name="today">Today in China (Asia/Shanghai): a deadline must lie after it.</param>
    public DemandContent Validate(DateOnly today)
    {
        var v = new Validation();
        var title = v.Text("title", Title, 200);
        var description = v.Text("description", Description, 5000, multiline: true);
        var keywords = v.Keywords("keywords", Keywords);
        var field = v.Enum<TechField>("techField", TechField);
        var minTrl = v.Range("minTrl", MinTrl ?? 1, 1, 9);
        var budgetMin = v.Amount("budgetMin", BudgetMin);
        var budgetMax = v.Amount("budgetMax", BudgetMax);
        if (budgetMin is { } low && budgetMax is { } high && low > high) v.Fail("budgetMin", "min-greater-than-max");
        var province = v.Province("province", Province);
        DateOnly? deadline = null;
        if (string.IsNullOrWhiteSpace(Deadline)) v.Fail("deadline", "required");
        else if (!DateOnly.TryParseExact(Deadline, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            v.Fail("deadline", "invalid-format");
        else if (parsed <= today) v.Fail("deadline", "in-past");
        else deadline = parsed;
        var contact = Contact?.Validate(v);
        if (Contact is null) v.Fail("contact", "required");
        v.ThrowIfInvalid();
        return new DemandContent(title!, description!, keywords, field!.Value, minTrl!.Value, budgetMin, budgetMax,
            province!, deadline!.Value, contact);
    }
}
