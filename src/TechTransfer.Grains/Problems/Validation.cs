using System.Text.RegularExpressions;

namespace TechTransfer.Problems;

/// <summary>Collects every failed rule of one request, so the caller hears about all of them at once.</summary>
public sealed partial class Validation
{
    readonly List<FieldError> errors = [];

    public IReadOnlyList<FieldError> Errors => errors;

    public void Fail(string field, string rule, string? argument = null) => errors.Add(new(field, rule, argument));

    /// <summary>
    /// Trims, checks presence, length and control characters; returns the clean text or null. Nothing else is
    /// stripped: a text that shows nothing (only zero-width and other format characters) is refused, and so is a
    /// single-line text (a title, a name) holding a bidi override or isolate, which can make it read differently
    /// from what it is (Trojan Source, CVE-2021-42574).
    /// </summary>
    public string? Text(string field, string? value, int maxLength, bool required = true, bool multiline = false)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required) Fail(field, "required");
            return null;
        }
        if (text.Length > maxLength) Fail(field, "max-length", maxLength.ToString());
        if (text.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')) || HasLoneSurrogate(text))
            Fail(field, "control-characters");
        else if (!HasVisibleCharacter(text)) Fail(field, "invisible");
        else if (!multiline && text.AsSpan().IndexOfAny(BidiControls) >= 0) Fail(field, "bidi-control");
        return text;
    }

    // U+202A–U+202E (embeddings, overrides) and U+2066–U+2069 (isolates); the marks U+200E/U+200F change nothing's order.
    static readonly System.Buffers.SearchValues<char> BidiControls =
        System.Buffers.SearchValues.Create("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    static bool HasVisibleCharacter(string text)
    {
        foreach (var c in text)
            if (!char.IsWhiteSpace(c) && !char.IsControl(c)
                && System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) is not System.Globalization.UnicodeCategory.Format)
                return true;
        return false;
    }

    public TEnum? Enum<TEnum>(string field, string? value, bool required = true) where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Fail(field, "required");
            return null;
        }
        // Only the exact English names: numbers and odd casing would make the public contract fuzzy.
        if (System.Enum.TryParse<TEnum>(value, ignoreCase: false, out var parsed)
            && System.Enum.IsDefined(parsed) && !char.IsDigit(value[0]) && value == parsed.ToString())
            return parsed;
        Fail(field, "unknown-value", Clip(value));
        return null;
    }

    public int? Range(string field, int? value, int min, int max, bool required = true)
    {
        if (value is null)
        {
            if (required) Fail(field, "required");
            return null;
        }
        if (value < min || value > max) Fail(field, "range", $"{min}–{max}");
        return value;
    }

    /// <summary>An optional amount in 万元 (a price, a budget): 0 to <paramref name="max"/>, to the fen (six places), like <see cref="Money"/>.</summary>
    public decimal? Amount(string field, decimal? value, decimal max = 100_000_000m)
    {
        if (value is null) return null;
        if (value < 0) Fail(field, "not-negative");
        else if (value > max) Fail(field, "range", $"0–{max}");
        // 1e-28 万元 is no price anyone means: anything finer than one fen is refused, not rounded.
        else if (decimal.Round(value.Value, 6) != value) Fail(field, "invalid-format");
        return value;
    }

    /// <summary>A trade amount in 万元: present, above zero (or zero when allowed), at most 1e8, to the fen (six places).</summary>
    public decimal? Money(string field, decimal? value, bool required = true, bool mayBeZero = false)
    {
        if (value is not { } amount)
        {
            if (required) Fail(field, "required");
            return null;
        }
        if (amount < 0 || (amount == 0 && !mayBeZero)) Fail(field, mayBeZero ? "not-negative" : "positive");
        else if (amount > 100_000_000m) Fail(field, "range", "0–100000000");
        else if (decimal.Round(amount, 6) != amount) Fail(field, "invalid-format");
        return amount;
    }

    /// <summary>A client-chosen id (e.g. a bid's idempotency id): 1–64 letters, digits, '-', '_', '.', ':'.</summary>
    public string? ClientId(string field, string? value)
    {
        var id = Text(field, value, 64);
        if (id is not null && !ClientIdPattern().IsMatch(id)) Fail(field, "invalid-format");
        return id;
    }

    public string[] Keywords(string field, IReadOnlyList<string?>? values, int maxItems = 20, int maxLength = 50)
    {
        if (values is null) return [];
        if (values.Count > maxItems) Fail(field, "max-items", maxItems.ToString());
        var clean = new List<string>();
        for (var i = 0; i < values.Count && i < maxItems; i++)
        {
            var keyword = Text($"{field}[{i}]", values[i], maxLength);
            if (keyword is not null && !clean.Contains(keyword)) clean.Add(keyword);
        }
        return [.. clean];
    }

    public string? Province(string field, string? value)
    {
        var province = Text(field, value, 10);
        if (province is not null && !Vocabulary.Provinces.IsKnown(province)) Fail(field, "unknown-value", Clip(province));
        return Vocabulary.Provinces.IsKnown(province) ? province : null;
    }

    public string? Phone(string field, string? value)
    {
        var phone = Text(field, value, 30, required: false);
        if (phone is not null && !PhonePattern().IsMatch(phone)) Fail(field, "invalid-format");
        return phone;
    }

    public string? Email(string field, string? value)
    {
        var email = Text(field, value, 254, required: false);
        if (email is not null && !EmailPattern().IsMatch(email)) Fail(field, "invalid-format");
        return email;
    }

    public void ThrowIfInvalid()
    {
        if (errors.Count > 0) throw ProblemException.Invalid(errors);
    }

    static string Clip(string value) => value.Length > 40 ? value[..40] + "…" : value;

    static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex ClientIdPattern();

    [GeneratedRegex(@"^\+?[0-9][0-9\- ]{5,28}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
