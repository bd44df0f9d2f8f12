using System.Text.Json;
using TechTransfer.Listings;

namespace TechTransfer.Matching;

/// <summary>
/// A published listing as the search index sees it: the text to match and the structured facts to check.
/// Built from the public view stored in tt_listing (never the private contact).
/// </summary>
public sealed record ListingDocument(
    string Id,
    ListingKind Kind,
    string Title,
    string Body,
    string[] Keywords,
    string TechField,
    int Trl,
    string Province,
    string? RegionCode,
    decimal? Price,
    decimal? BudgetMin,
    string[] TransferModes,
    string OwnerOrganizationId,
    int Version,
    string Json)
{
    /// <summary>When the listing was (last) published, else last updated; null in documents without either (eval data).</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>From the public view JSON of an achievement or a demand (tt_listing.doc).</summary>
    public static ListingDocument FromView(ListingKind kind, JsonElement view)
    {
        string Text(string name) => view.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
        decimal? Amount(string name) => view.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDecimal() : null;
        string[] List(string name) => view.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Array
            ? [.. p.EnumerateArray().Select(e => e.GetString() ?? "")]
            : [];
        var achievement = kind == ListingKind.Achievement;
        return new ListingDocument(
            Text("id"), kind, Text("title"), Text(achievement ? "summary" : "description"), List("keywords"), Text("techField"),
            view.GetProperty(achievement ? "trl" : "minTrl").GetInt32(), Text("province"),
            Text("regionCode") is { Length: > 0 } region ? region : null,
            Amount(achievement ? "askingPrice" : "budgetMax"), achievement ? null : Amount("budgetMin"),
            achievement ? List("transferModes") : [], Text("ownerOrganizationId"), view.GetProperty("version").GetInt32(),
            view.GetRawText())
        {
            PublishedAt = Time("publishedAt") ?? Time("updatedAt"),
        };

        DateTimeOffset? Time(string name) =>
            view.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String && p.TryGetDateTimeOffset(out var time) ? time : null;
    }
}
