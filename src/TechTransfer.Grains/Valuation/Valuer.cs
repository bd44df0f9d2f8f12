using Microsoft.Extensions.Options;
using Npgsql;
using TechTransfer.Accounts;
using TechTransfer.Contracts;
using TechTransfer.Listings;
using TechTransfer.Matching;
using TechTransfer.Tenders;
using TechTransfer.Vocabulary;

namespace TechTransfer.Valuation;

/// <summary>TechTransfer:Valuation — the comparables' rules (docs/institutions.md, 评估报价).</summary>
public sealed class ValuationOptions
{
    /// <summary>Below this many comparables the range is not given (样本不足): three is the least that has quartiles.</summary>
    public int MinComparables { get; set; } = 3;

    /// <summary>A trade this many days old weighs half as much as one of today.</summary>
    public int HalfLifeDays { get; set; } = 365;

    /// <summary>A trade less similar than this (0–1) is not a comparable at all.</summary>
    public double MinSimilarity { get; set; } = 0.4;

    /// <summary>Trades older than this are not looked at (at a one-year half-life, five years weigh 1/32).</summary>
    public int LookbackDays { get; set; } = 1825;

    /// <summary>The newest this many contracts and as many closed trades are compared (each costs a text comparison).</summary>
    public int MaxCandidates { get; set; } = 1000;

    /// <summary>How many comparables the answer lists (the heaviest); all of them count.</summary>
    public int MaxShown { get; set; } = 20;
}

/// <summary>
/// Price guidance for an achievement or a demand: finds the registered technology-transfer and licence contracts and
/// the closed trades of the network, weighs them by similarity (the matching engine's text score, field, TRL, IP
/// kinds) and age, and takes weighted quartiles; adds the seller's two methods beside them.
/// </summary>
public sealed class Valuer(NpgsqlDataSource db, MarketSearch search, IGrainFactory grains, IOptions<ValuationOptions> options, TimeProvider clock)
{
    /// <summary>A traded thing, with who may see its amount.</summary>
    sealed record Candidate(string Kind, string Ref, decimal Amount, DateOnly Date, ListingDocument Listing,
        string? RegionCode, Func<Actor, bool> MaySeeAmount);

    /// <summary>The subject's public view as tt_listing holds it, or null.</summary>
    public async Task<ListingDocument?> SubjectAsync(string id, CancellationToken cancellation = default)
    {
        await using var command = db.CreateCommand("SELECT kind, doc::text FROM tt_listing WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        return await reader.ReadAsync(cancellation) ? Document(reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>
    /// The guidance for <paramref name="subject"/> as <paramref name="viewer"/> may see it (the caller has checked that the
    /// viewer may see guidance at all). Amounts the viewer may not see count in the range but are not listed.
    /// </summary>
    public async Task<PriceGuidance> GuideAsync(Actor viewer, ListingDocument subject, ValuationInputs? inputs, CancellationToken cancellation = default)
    {
        var o = options.Value;
        var today = ChinaTime.Today(clock);
        var candidates = await CandidatesAsync(today.AddDays(-o.LookbackDays), o.MaxCandidates, cancellation);
        var texts = await search.TextScoresAsync(subject, [.. candidates.Select(c => c.Listing)], cancellation);
        var comparables = new List<(Candidate Candidate, double Similarity, SimilarityParts Parts, double Weight)>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var (similarity, parts) = PriceFormulas.Similarity(subject, candidates[i].Listing, texts[i]);
            if (similarity < o.MinSimilarity) continue;
            var weight = PriceFormulas.Weight(similarity, candidates[i].Date, today, o.HalfLifeDays);
            if (weight > 0) comparables.Add((candidates[i], similarity, parts, weight));
        }

        var sufficient = comparables.Count >= o.MinComparables;
        var sample = comparables.Select(c => (c.Candidate.Amount, c.Weight)).ToList();
        var shown = comparables.OrderByDescending(c => c.Weight).ThenByDescending(c => c.Candidate.Date).ThenBy(c => c.Candidate.Ref, StringComparer.Ordinal)
            .Take(o.MaxShown)
            .Select(c =>
            {
                var visible = c.Candidate.MaySeeAmount(viewer);
                return new Comparable(c.Candidate.Kind, visible ? c.Candidate.Ref : null, visible ? c.Candidate.Amount : null, c.Similarity,
                    c.Candidate.Date, c.Weight, visible ? c.Candidate.Listing.Title : null, visible ? c.Candidate.Listing.Id : null,
                    c.Candidate.RegionCode, c.Parts);
            }).ToList();
        var undisclosed = comparables.Count(c => !c.Candidate.MaySeeAmount(viewer));

        List<MethodRange> methods = [];
        if (inputs?.Income is { } income) methods.Add(PriceFormulas.Income(income));
        if (inputs?.ReplacementCost is { } cost) methods.Add(PriceFormulas.ReplacementCost(cost));

        var note = sufficient
            ? $"依据 {comparables.Count} 笔可比交易按相似度与时间衰减（半衰期 {o.HalfLifeDays} 天）加权的四分位数。"
              + (undisclosed > 0 ? $"其中 {undisclosed} 笔金额对您不公开，计入区间但不逐笔列出。" : "")
              + "收益法、成本法按卖方填报的参数单独列示，不与区间合并。"
            : $"样本不足：相似度不低于 {o.MinSimilarity} 的可比交易仅 {comparables.Count} 笔，少于 {o.MinComparables} 笔，不给出区间。";
        return new PriceGuidance(
            sufficient ? PriceFormulas.Quantile(sample, 0.25) : null, sufficient ? PriceFormulas.Quantile(sample, 0.5) : null,
            sufficient ? PriceFormulas.Quantile(sample, 0.75) : null, "万元", shown, methods, comparables.Count, note, o.MinComparables,
            o.HalfLifeDays, o.MinSimilarity, undisclosed, inputs);
    }

    /// <summary>
    /// Registered 技术转让 and 技术许可 contracts (their technology-transaction amount), and closed trades that no
    /// registered contract already counts: sold auctions (hammer price), accepted fixed-price offers, awarded tenders
    /// (the awarded bid). Only those whose achievement or demand is in tt_listing (its text is what is compared).
    /// </summary>
    async Task<List<Candidate>> CandidatesAsync(DateOnly since, int limit, CancellationToken cancellation)
    {
        var found = new List<Candidate>();
        await using (var contracts = db.CreateCommand("""
            SELECT c.number, c.tech_amount, c.signing_date, c.region, c.deal_id, c.achievement_id, c.demand_id, c.seller_org, c.buyer_org,
                l.kind, l.doc::text
            FROM tt_contract c JOIN tt_listing l ON l.id = c.achievement_id
            WHERE c.type IN ('Transfer', 'License') AND c.tech_amount > 0 AND c.signing_date >= $1
            ORDER BY c.signing_date DESC, c.number DESC LIMIT $2
            """))
        {
            contracts.Parameters.Add(new() { Value = since });
            contracts.Parameters.Add(new() { Value = limit });
            await using var reader = await contracts.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                var listing = Document(reader.GetString(9), reader.GetString(10));
                var facts = new ContractFacts(reader.GetString(4), reader.GetString(5), reader.GetString(6), listing.TechField, reader.GetString(3),
                    reader.GetString(7), reader.GetString(8));
                found.Add(new Candidate("contract", reader.GetString(0), reader.GetDecimal(1), reader.GetFieldValue<DateOnly>(2), listing,
                    facts.RegionCode, viewer => ContractRules.MaySee(viewer, facts)));
            }
        }

        var tenders = new List<(Candidate Candidate, string Id)>();
        await using (var trades = db.CreateCommand("""
            SELECT t.id, t.kind, t.price, CASE WHEN t.kind = 'Auction' THEN t.ends_at ELSE t.updated_at END, t.region, t.owner_org,
                l.kind, l.doc::text
            FROM tt_trade t JOIN tt_listing l ON l.id = t.listing_id
            WHERE (t.kind = 'Auction' AND t.status = 'Sold' OR t.kind = 'FixedPriceListing' AND t.status = 'Accepted'
                   OR t.kind = 'Tender' AND t.status = 'Awarded')
                AND t.updated_at >= $1 AND NOT EXISTS (SELECT 1 FROM tt_contract c WHERE c.deal_id = t.id)
            ORDER BY t.updated_at DESC, t.id DESC LIMIT $2
            """))
        {
            trades.Parameters.Add(new() { Value = since.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - ChinaTime.Offset });
            trades.Parameters.Add(new() { Value = limit });
            await using var reader = await trades.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                var (id, kind, region, owner) = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5));
                var date = DateOnly.FromDateTime(reader.GetFieldValue<DateTimeOffset>(3).ToOffset(ChinaTime.Offset).DateTime);
                var listing = Document(reader.GetString(6), reader.GetString(7));
                if (kind == "Tender")
                    // The awarded bid is as private as the opened bids: the enterprise, its center's staff and the national level.
                    tenders.Add((new Candidate("tender", id, 0, date, listing, region,
                        viewer => viewer.IsNationalAdmin || viewer.OrganizationId == owner || region is not null && ContractRules.IsStaffOf(viewer, region)), id));
                else if (!reader.IsDBNull(2))
                    found.Add(new Candidate(kind == "Auction" ? "auction" : "fixedPrice", id, reader.GetDecimal(2), date, listing, region,
                        _ => true)); // the hall shows every trade's price to everyone signed in
            }
        }
        foreach (var (candidate, id) in tenders)
            if (await grains.GetGrain<ITenderGrain>(id).AwardedPriceAsync() is { } price)
                found.Add(candidate with { Amount = price });
        return found;
    }

    static ListingDocument Document(string kind, string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return ListingDocument.FromView(kind == "achievement" ? ListingKind.Achievement : ListingKind.Demand, doc.RootElement.Clone());
    }
}
