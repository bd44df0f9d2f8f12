using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Notifications;
using TechTransfer.Problems;
using TechTransfer.Storage;
using TechTransfer.Vocabulary;

namespace TechTransfer.Evaluations;

/// <summary>Evaluation ids: "evl-" and 32 hex, random or derived from a request's idempotency seed (a retry meets its first attempt).</summary>
public static class EvaluationIds
{
    const string Prefix = "evl-";

    public static string New(string? requestSeed) => Prefix + (requestSeed is null
        ? Guid.CreateVersion7().ToString("N")
        : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("evaluation\n" + requestSeed)))[..32]);

    public static bool IsWellFormed(string? id) =>
        id is { Length: 36 } && id.StartsWith(Prefix, StringComparison.Ordinal) && id.AsSpan(4).IndexOfAnyExcept("0123456789abcdef") < 0;
}

public sealed class EvaluationGrain(
    [PersistentState("evaluation")] IPersistentState<EvaluationState> state,
    EvaluationProjection projection,
    Notifier notifier,
    TimeProvider clock) : Grain, IEvaluationGrain
{
    /// <summary>More would be a committee, not a review; GB/T 22900 evaluations use three to seven experts.</summary>
    public const int MaxReviewers = 9;

    EvaluationState S => state.State;

    string Id => this.GetPrimaryKeyString();

    bool Started => S.AchievementId is not null;

    bool Published => S.Summary is not null;

    public override async Task OnActivateAsync(CancellationToken cancellation)
    {
        // A failed row write after the state was stored dropped the activation (GrainWrites): repaired here.
        if (Started) await projection.WriteAsync(Id, S, cancellation);
    }

    public async Task<EvaluationView> StartAsync(Actor actor, string achievementId, string[] reviewers)
    {
        if (Started) // a retried start (the same request's id) meets the first one
            return S.AchievementId == achievementId && S.StartedBy == actor.AccountId ? View(actor) : throw new ProblemException(ProblemCodes.AlreadyExists);
        var achievement = await GrainFactory.GetGrain<IAchievementGrain>(achievementId).GetAsync(actor);
        if (achievement is null || achievement.Status != nameof(AchievementStatus.Published)) throw new ProblemException(ProblemCodes.NotFound);
        var region = achievement.RegionCode ?? throw new ProblemException(ProblemCodes.InvalidTransition);
        if (!IsStaff(actor, region)) throw new ProblemException(ProblemCodes.Forbidden);
        var invited = await ReviewersAsync(reviewers, achievement.OwnerOrganizationId);

        S.AchievementId = achievementId;
        S.AchievementTitle = achievement.Title;
        S.OwnerOrganizationId = achievement.OwnerOrganizationId;
        S.Region = region;
        S.StartedBy = actor.AccountId;
        S.StartedAt = clock.GetUtcNow();
        S.Reviewers = [.. invited];
        await SaveAsync(undo: () => S.AchievementId = null);
        await TellInvitedAsync(invited);
        return View(actor);
    }

    public Task<EvaluationView?> GetAsync(Actor? viewer) => Task.FromResult(Started && MaySee(viewer) ? View(viewer) : null);

    public async Task<EvaluationView> InviteAsync(Actor actor, string reviewer)
    {
        RequireStaff(actor);
        if (Published) throw new ProblemException(ProblemCodes.InvalidTransition);
        var invited = await ReviewersAsync([reviewer], S.OwnerOrganizationId);
        if (S.Reviewers.Contains(invited[0])) return View(actor); // asked twice: once is enough
        if (S.Reviewers.Count >= MaxReviewers)
        {
            var v = new Validation();
            v.Fail("account", "max-items", MaxReviewers.ToString());
            v.ThrowIfInvalid();
        }
        S.Reviewers.Add(invited[0]);
        await SaveAsync(undo: () => S.Reviewers.Remove(invited[0]));
        await TellInvitedAsync(invited);
        return View(actor);
    }

    public async Task<EvaluationView> ReviewAsync(Actor actor, ReviewContent review)
    {
        if (!Started || !MaySee(actor)) throw new ProblemException(ProblemCodes.NotFound);
        if (!S.Reviewers.Contains(actor.AccountId)) throw new ProblemException(ProblemCodes.Forbidden);
        if (S.Reviews.Any(r => r.Reviewer == actor.AccountId)) throw new ProblemException(ProblemCodes.AlreadyReviewed);
        if (Published) throw new ProblemException(ProblemCodes.InvalidTransition);
        var at = clock.GetUtcNow();
        var signed = new SignedReview(actor.AccountId, review, at, Digest(actor.AccountId, review, at));
        S.Reviews.Add(signed);
        await SaveAsync(undo: () => S.Reviews.Remove(signed));
        return View(actor);
    }

    public async Task<EvaluationView> PublishAsync(Actor actor, string statement)
    {
        RequireStaff(actor);
        if (Published || S.Reviews.Count == 0) throw new ProblemException(ProblemCodes.InvalidTransition);
        S.Summary = Summarize(S.Reviews, statement, actor.AccountId, clock.GetUtcNow());
        await SaveAsync(undo: () => S.Summary = null);
        await notifier.EvaluationNewsAsync(new EvaluationNews(Id, S.AchievementId!, S.AchievementTitle, "Published"), S.Reviewers, S.OwnerOrganizationId);
        return View(actor);
    }

    /// <summary>
    /// The median of each ordered judgement — with an even number of reviews, the more cautious of the two middle
    /// ones: the lower TRL, the weaker grade — and the hard-tech indicators at least half the reviewers named.
    /// </summary>
    public static EvaluationSummary Summarize(IReadOnlyList<SignedReview> reviews, string statement, string by, DateTimeOffset at)
    {
        var contents = reviews.Select(r => r.Content).ToList();
        var n = contents.Count;
        // TRL ascending: the lower middle. Grades are declared best first, so ascending ranks put the weaker one last.
        var trl = contents.Select(c => c.Trl).Order().ElementAt((n - 1) / 2);
        var innovation = contents.Select(c => c.Innovation).Order().ElementAt(n / 2);
        var advancement = contents.Select(c => c.Advancement).Order().ElementAt(n / 2);
        var hardTech = Enum.GetValues<HardTech>().Where(h => 2 * contents.Count(c => c.HardTech.Contains(h)) >= n).ToArray();
        return new EvaluationSummary(trl, innovation, advancement, hardTech, statement, n, by, at);
    }

    /// <summary>SHA-256 over what was signed, as UTF-8 JSON with the serializer's field order; hex, lower case.</summary>
    string Digest(string reviewer, ReviewContent review, DateTimeOffset at)
    {
        var signed = JsonSerializer.SerializeToUtf8Bytes(new { evaluation = Id, achievement = S.AchievementId, reviewer, at, review }, TechTransferJson.Options);
        return Convert.ToHexStringLower(SHA256.HashData(signed));
    }

    /// <summary>
    /// Account names to ids: each must exist and be a person outside the achievement's owner (no one reviews their
    /// own organization's work); the center's staff may review.
    /// </summary>
    async Task<string[]> ReviewersAsync(string[] names, string ownerOrganizationId)
    {
        var v = new Validation();
        if (names.Length == 0) v.Fail("reviewers", "required");
        if (names.Length > MaxReviewers) v.Fail("reviewers", "max-items", MaxReviewers.ToString());
        v.ThrowIfInvalid();
        var ids = new List<string>();
        foreach (var name in names)
        {
            var clean = v.Text("reviewers", name, 64);
            if (clean is null) continue;
            var id = AccountKeys.Of(clean);
            var reviewer = await GrainFactory.GetGrain<IAccountGrain>(id).GetActorAsync();
            if (reviewer is null) v.Fail("reviewers", "unknown-account", clean);
            else if (reviewer.OrganizationId == ownerOrganizationId) v.Fail("reviewers", "conflict-of-interest", clean);
            else if (ids.Contains(id)) v.Fail("reviewers", "duplicate", clean);
            else ids.Add(id);
        }
        v.ThrowIfInvalid();
        return [.. ids];
    }

    Task TellInvitedAsync(IEnumerable<string> reviewers) =>
        notifier.EvaluationNewsAsync(new EvaluationNews(Id, S.AchievementId!, S.AchievementTitle, "Invited"), reviewers);

    /// <summary>The evaluating center's brokers and admins, and national.</summary>
    static bool IsStaff(Actor actor, string region) =>
        actor.IsNationalAdmin || actor.Role is Role.Broker or Role.CenterAdmin && actor.RegionCode == region;

    void RequireStaff(Actor actor)
    {
        if (!Started || !MaySee(actor)) throw new ProblemException(ProblemCodes.NotFound);
        if (!IsStaff(actor, S.Region)) throw new ProblemException(ProblemCodes.Forbidden);
    }

    /// <summary>Once published, everyone; before, the center, national, the invited reviewers and the owner organization.</summary>
    bool MaySee(Actor? viewer) =>
        Published || viewer is not null && (IsStaff(viewer, S.Region) || S.Reviewers.Contains(viewer.AccountId) || viewer.OrganizationId == S.OwnerOrganizationId);

    EvaluationView View(Actor? viewer)
    {
        var staff = viewer is not null && IsStaff(viewer, S.Region);
        // Independent reviews: before publication a reviewer sees their own only, the owner none.
        SignedReview[] reviews = Published || staff ? [.. S.Reviews] : [.. S.Reviews.Where(r => r.Reviewer == viewer?.AccountId)];
        var mayReview = !Published && viewer is not null && S.Reviewers.Contains(viewer.AccountId) && S.Reviews.All(r => r.Reviewer != viewer.AccountId);
        return new EvaluationView(Id, S.AchievementId!, S.AchievementTitle, S.OwnerOrganizationId, S.Region, Published ? "Published" : "Open",
            S.StartedBy, S.StartedAt, [.. S.Reviewers], [.. S.Reviews.Select(r => r.Reviewer)], reviews, S.Summary, mayReview, staff && !Published);
    }

    Task SaveAsync(Action undo) => this.WriteStateThenAsync(state, () => projection.WriteAsync(Id, S), undo);
}
