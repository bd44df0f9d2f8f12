using System.Text.Json;
using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Listings;
using TechTransfer.Problems;
using TechTransfer.Storage;

namespace TechTransfer.Imports;

/// <summary>One rejected line of a catalogue, with every reason.</summary>
public sealed record ImportError(int Line, string? ExternalId, IReadOnlyList<ImportReason> Reasons);

public sealed record ImportReason(string Field, string Rule, string Zh, string En);

public sealed record ImportReport(int Created, int Updated, int Unchanged, IReadOnlyList<ImportError> Errors)
{
    public int Rejected => Errors.Count;
}

/// <summary>
/// Imports a university's catalogue: one achievement create body (plus its externalId) per line.
/// Good lines are kept, bad lines are reported by number; the same line imported twice lands on the same
/// grain (the id derives from organization + externalId), so a repeated file creates nothing new.
/// </summary>
public sealed class CatalogueImporter(IGrainFactory grains)
{
    const int Parallelism = 8;

    /// <param name="firstLineNumber">Number of the first line, so a client sending a file in chunks gets file line numbers.</param>
    public async Task<ImportReport> ImportAsync(
        Actor actor, IReadOnlyList<string> lines, bool publish, int firstLineNumber = 1, CancellationToken cancellation = default)
    {
        if (!actor.MayPostAchievements) throw new ProblemException(ProblemCodes.Forbidden);
        var outcomes = new SyncOutcome?[lines.Count];
        var errors = new ImportError?[lines.Count];
        var seen = new Dictionary<string, int>();
        var work = new List<(int Index, AchievementInput Input, AchievementContent Content)>();

        for (var i = 0; i < lines.Count; i++)
        {
            var lineNumber = firstLineNumber + i;
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            try
            {
                var input = JsonSerializer.Deserialize<AchievementInput>(lines[i], TechTransferJson.Options)
                    ?? throw ProblemException.Invalid([new FieldError("body", "required")]);
                var content = input.Validate();
                var externalId = input.ExternalId?.Trim();
                if (string.IsNullOrEmpty(externalId)) throw ProblemException.Invalid([new FieldError("externalId", "required")]);
                if (!seen.TryAdd(externalId, lineNumber))
                    throw ProblemException.Invalid([new FieldError("externalId", "duplicate", $"line {seen[externalId]}")]);
                work.Add((i, input with { ExternalId = externalId }, content));
            }
            catch (JsonException e)
            {
                errors[i] = Error(lineNumber, null, [FieldError.BadJson(e.Path)]);
            }
            catch (ProblemException e)
            {
                errors[i] = Error(lineNumber, null, e.Errors);
            }
        }

        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellation },
            async (item, _) =>
            {
                var id = ListingIds.AchievementFromCatalogue(actor.OrganizationId, item.Input.ExternalId!);
                var grain = grains.GetGrain<IAchievementGrain>(id);
                try
                {
                    var outcome = await grain.SyncFromCatalogueAsync(actor, item.Content, item.Input.ExternalId!);
                    outcomes[item.Index] = outcome;
                    // An unchanged row that is already on the market is left alone (publishing again would re-match it).
                    if (publish && (outcome != SyncOutcome.Unchanged || (await grain.GetAsync(actor))?.Status != "Published"))
                        await grain.PublishAsync(actor);
                }
                catch (ProblemException e)
                {
                    var reasons = e.Errors.Length > 0 ? e.Errors : [new FieldError("externalId", e.Code)];
                    errors[item.Index] = Error(firstLineNumber + item.Index, item.Input.ExternalId, reasons);
                }
            });

        return new ImportReport(
            outcomes.Count(o => o == SyncOutcome.Created),
            outcomes.Count(o => o == SyncOutcome.Updated),
            outcomes.Count(o => o == SyncOutcome.Unchanged),
            [.. errors.OfType<ImportError>()]);
    }

    static ImportError Error(int line, string? externalId, IReadOnlyList<FieldError> errors) =>
        new(line, externalId, [.. errors.Select(e =>
        {
            var (zh, en) = ProblemCatalog.Describe(e);
            return new ImportReason(e.Field, e.Rule, zh, en);
        })]);
}
