using TechTransfer.Accounts;
using TechTransfer.Contracts;
using TechTransfer.Listings;
using TechTransfer.Vocabulary;

namespace TechTransfer.Deals;

/// <summary>
/// One per match (key = match id, "mat-…") or per concluded trade (key = the trade's id, "fpl-…", "auc-…", "tnd-…"): the parties' interest, the broker's claim and stages, the audit trail
/// and the contract. The only place that decides who may see the parties' contacts of a match.
/// </summary>
[Alias("tt.IDealGrain")]
public interface IDealGrain : IGrainWithStringKey
{
    /// <summary>The deal as <paramref name="viewer"/> may see it; null when it is not theirs to see (or no such match).</summary>
    [Alias("GetAsync")]
    Task<DealView?> GetAsync(Actor viewer);

    /// <summary>A party says it wants to talk (or no longer does). When both have, the match becomes a lead.</summary>
    [Alias("SetInterestAsync")]
    Task<DealView> SetInterestAsync(Actor actor, bool interested, string? note);

    /// <summary>A broker of either party's center takes the lead. Exactly one claim wins.</summary>
    [Alias("ClaimAsync")]
    Task<DealView> ClaimAsync(Actor actor, string? note);

    /// <summary>The leading broker moves the deal one stage on (Introduced → Negotiating → ContractSigned).</summary>
    [Alias("AdvanceAsync")]
    Task<DealView> AdvanceAsync(Actor actor, DealStage to, string? note);

    /// <summary>The leading broker ends the deal (终止) with a reason.</summary>
    [Alias("CloseAsync")]
    Task<DealView> CloseAsync(Actor actor, string reason);

    /// <summary>
    /// A concluded trade (挂牌 accepted, 拍卖 sold, 招标 awarded) opens its deal as a lead: both parties agreed by
    /// trading, so both are interested. Repeating it is a no-op; only for trade keys.
    /// </summary>
    [Alias("OpenFromTradeAsync")]
    Task OpenFromTradeAsync(DealFacts facts);

    /// <summary>The leading broker registers the signed contract with the center (技术合同认定登记).</summary>
    [Alias("RegisterContractAsync")]
    Task<DealView> RegisterContractAsync(Actor actor, ContractContent content);

    /// <summary>
    /// The seller's organization registers the contract itself: the parties met here (both were interested) and signed
    /// outside the deal flow, also after the deal ended. A broker who claimed the lead within
    /// <see cref="DealOptions.AttributionTail"/> stays attributed on it: then the registrant must acknowledge that
    /// (<paramref name="brokerAcknowledged"/>), the leading center registers it, and the broker is told.
    /// </summary>
    [Alias("RegisterOwnContractAsync")]
    Task<DealView> RegisterOwnContractAsync(Actor actor, ContractContent content, bool brokerAcknowledged);

    /// <summary>
    /// A party rates the leading broker's service (信誉体系) once the deal is over (registered or ended): 1–5 stars and a
    /// comment, one per side, final once given.
    /// </summary>
    [Alias("RateAsync")]
    Task<DealView> RateAsync(Actor actor, int stars, string? comment);

    /// <summary>
    /// A party (for its organization's record) or the leading broker (for theirs) contests how this deal counts in their
    /// 信誉 (docs/institutions.md): once per subject and deal, with a reason, on the trail as "contest:&lt;subject&gt;".
    /// </summary>
    [Alias("ContestAsync")]
    Task<DealView> ContestAsync(Actor actor, string reason);

    /// <summary>
    /// The center reviews a contest: an admin of the center leading the deal (of either party's center while nobody
    /// leads it) or a national admin upholds it (the deal no longer counts in the subject's record) or rejects it. Final;
    /// on the trail as "contest-upheld:&lt;subject&gt;" or "contest-rejected:&lt;subject&gt;".
    /// </summary>
    [Alias("DecideContestAsync")]
    Task<DealView> DecideContestAsync(Actor actor, string subject, bool upheld, string note);
}

/// <summary>A contest of how a deal counts in one subject's 信誉: "achievement" or "demand" (a party's organization) or "broker".</summary>
[GenerateSerializer, Immutable, Alias("tt.DealContest")]
public sealed record DealContest(
    [property: Id(0)] string Subject, [property: Id(1)] string Reason, [property: Id(2)] string FiledBy, [property: Id(3)] DateTimeOffset FiledAt,
    [property: Id(4)] string? Outcome, [property: Id(5)] string? DecidedBy, [property: Id(6)] DateTimeOffset? DecidedAt, [property: Id(7)] string? DecisionNote)
{
    public const string Upheld = "upheld", Rejected = "rejected";

    /// <summary>The contests of a trail, read from its entries (the trail is their only record).</summary>
    public static List<DealContest> Of(IEnumerable<DealEntry> trail)
    {
        var contests = new List<DealContest>();
        foreach (var e in trail)
        {
            if (e.Action.StartsWith("contest:", StringComparison.Ordinal))
                contests.Add(new DealContest(e.Action["contest:".Length..], e.Note ?? "", e.Actor, e.At, null, null, null, null));
            else if (e.Action.StartsWith("contest-", StringComparison.Ordinal) && e.Action.IndexOf(':') is > 0 and var colon
                     && contests.FindIndex(c => c.Subject == e.Action[(colon + 1)..]) is >= 0 and var i)
                contests[i] = contests[i] with { Outcome = e.Action["contest-".Length..colon], DecidedBy = e.Actor, DecidedAt = e.At, DecisionNote = e.Note };
        }
        return contests;
    }
}

/// <summary>One side's rating of the leading broker on a deal.</summary>
[GenerateSerializer, Immutable, Alias("tt.DealRating")]
public sealed record DealRating(
    [property: Id(0)] string Side, [property: Id(1)] string Broker, [property: Id(2)] int Stars, [property: Id(3)] string? Comment,
    [property: Id(4)] string RatedBy, [property: Id(5)] DateTimeOffset At);

/// <summary>
/// The two sides: loaded once from tt_match and tt_listing for a match, handed in by the trade for a trade. A trade
/// may have no listing on one side (an auction's buyer, a tender's bidder): that id is empty.
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.DealFacts")]
public sealed record DealFacts(
    [property: Id(0)] string AchievementId, [property: Id(1)] string DemandId, [property: Id(2)] int Score,
    [property: Id(3)] string AchievementTitle, [property: Id(4)] string DemandTitle,
    [property: Id(5)] string AchievementOrganizationId, [property: Id(6)] string DemandOrganizationId,
    [property: Id(7)] string? AchievementRegion, [property: Id(8)] string? DemandRegion, [property: Id(9)] string TechField)
{
    public IEnumerable<string> Regions => new[] { AchievementRegion, DemandRegion }.OfType<string>().Distinct();
}

/// <summary>One line of the append-only audit trail: who did what, when, and why.</summary>
[GenerateSerializer, Immutable, Alias("tt.DealEntry")]
public sealed record DealEntry(
    [property: Id(0)] DateTimeOffset At, [property: Id(1)] string Actor, [property: Id(2)] string Action,
    [property: Id(3)] string? From, [property: Id(4)] string? To, [property: Id(5)] string? Note);

/// <summary>Both parties' contacts: present only in a lead's view for its parties and responsible brokers.</summary>
[GenerateSerializer, Immutable, Alias("tt.DealContacts")]
public sealed record DealContacts([property: Id(0)] Contact? Achievement, [property: Id(1)] Contact? Demand);

[GenerateSerializer, Immutable, Alias("tt.DealView")]
public sealed record DealView(
    [property: Id(0)] string Id, [property: Id(1)] DealFacts Facts, [property: Id(2)] string Stage,
    [property: Id(3)] bool AchievementInterest, [property: Id(4)] bool DemandInterest, [property: Id(5)] string? ClaimedBy,
    [property: Id(6)] string? LeadingRegion, [property: Id(7)] string? CloseReason, [property: Id(8)] string? ContractNumber,
    [property: Id(9)] DateTimeOffset? LeadAt, [property: Id(10)] DateTimeOffset LastActivityAt, [property: Id(11)] bool Stale,
    [property: Id(12)] DealEntry[] Trail, [property: Id(13)] DealContacts? Contacts, [property: Id(14)] int Version,
    [property: Id(15)] DealRating[]? Ratings = null, [property: Id(16)] string? MayRateAs = null,
    [property: Id(17)] DealContest[]? Contests = null, [property: Id(18)] string? MayContestAs = null, [property: Id(19)] bool MayDecideContests = false,
    [property: Id(20)] BrokerAttribution? Attribution = null, [property: Id(21)] bool MayRegisterOwnContract = false);

/// <summary>
/// The broker a contract of this deal is attributed to if registered now: who claimed the lead, when, and until when
/// the parties' own registration still counts for them. Null while nobody claimed it or after <see cref="Until"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("tt.BrokerAttribution")]
public sealed record BrokerAttribution([property: Id(0)] string Broker, [property: Id(1)] string Region,
    [property: Id(2)] DateTimeOffset ClaimedAt, [property: Id(3)] DateTimeOffset Until);
