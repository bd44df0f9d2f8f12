using TechTransfer.Accounts;

namespace TechTransfer.Evaluations;

/// <summary>
/// One structured evaluation of an achievement (科技成果评价, issue 19 item 4; key "evl-" + 32 hex): a center invites
/// expert reviewers, each signs one review that never changes, and the center publishes a summary, after which
/// nothing changes at all. Who sees and does what: docs/institutions.md.
/// </summary>
[Alias("tt.IEvaluationGrain")]
public interface IEvaluationGrain : IGrainWithStringKey
{
    /// <summary>A center's staff (of the achievement's region) or national start it on a published achievement, with its first reviewers.</summary>
    [Alias("StartAsync")]
    Task<EvaluationView> StartAsync(Actor actor, string achievementId, string[] reviewers);

    /// <summary>The evaluation as <paramref name="viewer"/> may see it; null when it is not theirs to see.</summary>
    [Alias("GetAsync")]
    Task<EvaluationView?> GetAsync(Actor? viewer);

    /// <summary>The center invites one more reviewer while the evaluation is open.</summary>
    [Alias("InviteAsync")]
    Task<EvaluationView> InviteAsync(Actor actor, string reviewer);

    /// <summary>An invited reviewer signs their review: once, final.</summary>
    [Alias("ReviewAsync")]
    Task<EvaluationView> ReviewAsync(Actor actor, ReviewContent review);

    /// <summary>The center publishes the summary of the signed reviews with its statement: final.</summary>
    [Alias("PublishAsync")]
    Task<EvaluationView> PublishAsync(Actor actor, string statement);
}

/// <summary>技术创新度 (GB/T 22900-style grades).</summary>
public enum Innovation { WorldFirst, ChinaFirst, Improved, Incremental }

/// <summary>技术先进度.</summary>
public enum Advancement { WorldLeading, WorldAdvanced, ChinaLeading, ChinaAdvanced, ChinaGeneral }

/// <summary>硬科技属性: what a reviewer finds the technology to be.</summary>
public enum HardTech { KeyCoreTechnology, Bottleneck, OriginalInnovation, IndependentIp, ReadyForIndustry }

/// <summary>One reviewer's judgement: TRL with the evidence for it, the two grades, the hard-tech indicators, a comment.</summary>
[GenerateSerializer, Immutable, Alias("tt.ReviewContent")]
public sealed record ReviewContent(
    [property: Id(0)] int Trl, [property: Id(1)] string[] TrlEvidence, [property: Id(2)] Innovation Innovation,
    [property: Id(3)] Advancement Advancement, [property: Id(4)] HardTech[] HardTech, [property: Id(5)] string Comment);

/// <summary>
/// A review as signed: who, when, and the SHA-256 of what they signed (evaluation, achievement, reviewer, time and
/// content), so anyone can check that the review shown is the one signed.
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.SignedReview")]
public sealed record SignedReview(
    [property: Id(0)] string Reviewer, [property: Id(1)] ReviewContent Content, [property: Id(2)] DateTimeOffset SignedAt,
    [property: Id(3)] string Digest);

/// <summary>
/// What the center published: the lower median of the reviewers' TRLs and grades (a grade's median by its order),
/// the indicators at least half the reviewers named, the center's statement, and how many reviews it rests on.
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.EvaluationSummary")]
public sealed record EvaluationSummary(
    [property: Id(0)] int Trl, [property: Id(1)] Innovation Innovation, [property: Id(2)] Advancement Advancement,
    [property: Id(3)] HardTech[] HardTech, [property: Id(4)] string Statement, [property: Id(5)] int Reviews,
    [property: Id(6)] string PublishedBy, [property: Id(7)] DateTimeOffset PublishedAt);

/// <summary>
/// An evaluation as a viewer sees it. <see cref="Reviews"/> holds every signed review for the center, national and,
/// once published, everyone who may see it; an invited reviewer sees only their own before that (reviews are
/// independent), the owner none.
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.EvaluationView")]
public sealed record EvaluationView(
    [property: Id(0)] string Id, [property: Id(1)] string AchievementId, [property: Id(2)] string AchievementTitle,
    [property: Id(3)] string OwnerOrganizationId, [property: Id(4)] string Region, [property: Id(5)] string Status,
    [property: Id(6)] string StartedBy, [property: Id(7)] DateTimeOffset StartedAt, [property: Id(8)] string[] Reviewers,
    [property: Id(9)] string[] Reviewed, [property: Id(10)] SignedReview[] Reviews, [property: Id(11)] EvaluationSummary? Summary,
    [property: Id(12)] bool MayReview, [property: Id(13)] bool MayManage);
