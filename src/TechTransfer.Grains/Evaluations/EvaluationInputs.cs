using TechTransfer.Problems;

namespace TechTransfer.Evaluations;

/// <summary>Starting an evaluation: the reviewers' account names (as they sign in), 1–9.</summary>
public sealed record EvaluationStartInput(string[]? Reviewers);

/// <summary>Inviting one more reviewer.</summary>
public sealed record ReviewerInput(string? Account);

/// <summary>Publishing: the center's statement (评价结论).</summary>
public sealed record PublishInput(string? Statement)
{
    public string Validate()
    {
        var v = new Validation();
        var statement = v.Text("statement", Statement, 2000, multiline: true);
        v.ThrowIfInvalid();
        return statement!;
    }
}

/// <summary>A reviewer's form as sent (loose types): TRL 1–9 with 1–10 evidence items, the grades, indicators, comment.</summary>
public sealed record ReviewInput(int? Trl, string?[]? TrlEvidence, string? Innovation, string? Advancement, string?[]? HardTech, string? Comment)
{
    public ReviewContent Validate()
    {
        var v = new Validation();
        var trl = v.Range("trl", Trl, 1, 9);
        var evidence = v.Keywords("trlEvidence", TrlEvidence, maxItems: 10, maxLength: 200);
        if (evidence.Length == 0) v.Fail("trlEvidence", "required");
        var innovation = v.Enum<Innovation>("innovation", Innovation);
        var advancement = v.Enum<Advancement>("advancement", Advancement);
        var hardTech = new List<HardTech>();
        foreach (var (value, i) in (HardTech ?? []).Take(Enum.GetValues<HardTech>().Length + 1).Select((h, i) => (h, i)))
            if (v.Enum<HardTech>($"hardTech[{i}]", value) is { } h && !hardTech.Contains(h)) hardTech.Add(h);
        var comment = v.Text("comment", Comment, 2000, multiline: true);
        v.ThrowIfInvalid();
        return new ReviewContent(trl!.Value, evidence, innovation!.Value, advancement!.Value, [.. hardTech], comment!);
    }
}
