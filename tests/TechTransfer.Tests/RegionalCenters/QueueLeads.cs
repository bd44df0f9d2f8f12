using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using TechTransfer.Matching;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.RegionalCenters;

/// <summary>One lead to set up: which demand it shares (group), its TechField and both provinces.</summary>
public sealed record LeadPlan(int Group, string TechField, string AchievementProvince, string DemandProvince, int Trl = 6);

/// <summary>A lead made through the API: its deal and both listings.</summary>
public sealed record QueueLead(string Deal, string Achievement, string Demand, LeadPlan Plan);

/// <summary>
/// Fills a center's queue the way people do, through the API: the enterprise publishes one demand per group, the
/// university an achievement per lead, both say they are interested. Each group's listings share made-up words only
/// (no common technical words), so they match each other and nothing another test published.
/// </summary>
public static class QueueLeads
{
    public static async Task<IReadOnlyList<QueueLead>> CreateAsync(HttpClient university, HttpClient enterprise, IReadOnlyList<LeadPlan> plans,
        int parallel = 4)
    {
        using var gate = new SemaphoreSlim(parallel);
        var groups = await Task.WhenAll(plans.GroupBy(p => p.Group).Select(async group =>
        {
            await gate.WaitAsync();
            try
            {
                var first = group.First();
                var words = new[] { Samples.UniqueWord(), Samples.UniqueWord(), Samples.UniqueWord() };
                var demand = await enterprise.CreatePublishedAsync("/api/demands", Samples.Demand($"寻求{words[0]}{words[1]}技术合作")
                    .With("description", $"我公司寻求{words[0]}、{words[1]}与{words[2]}方面的成果，用于新产品开发。")
                    .With("keywords", new JsonArray(words[0], words[1], words[2]))
                    .With("techField", first.TechField).With("province", first.DemandProvince).With("minTrl", 5));
                var leads = new List<QueueLead>();
                foreach (var (plan, i) in group.Select((p, i) => (p, i)))
                {
                    var achievement = await university.CreatePublishedAsync("/api/achievements", Samples.Achievement($"{words[0]}{words[1]}成果第{i + 1}号")
                        .With("summary", $"本成果给出{words[0]}、{words[1]}与{words[2]}的实现方案，已完成样机验证。")
                        .With("keywords", new JsonArray(words[0], words[1], words[2]))
                        .With("techField", plan.TechField).With("province", plan.AchievementProvince).With("trl", plan.Trl));
                    var deal = ListingMatcher.MatchId(achievement, demand);
                    foreach (var party in new[] { enterprise, university })
                    {
                        var interest = await party.PostAsJsonAsync($"/api/deals/{deal}/interest", new { });
                        Assert.True(interest.StatusCode == HttpStatusCode.OK, $"interest in {deal}: {await interest.Content.ReadAsStringAsync()}");
                    }
                    leads.Add(new QueueLead(deal, achievement, demand, plan));
                }
                return leads;
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. groups.SelectMany(g => g)];
    }

    /// <summary>
    /// Time passing for a read model: the queue's rows of these deals say they became leads, and were last touched,
    /// <paramref name="ago"/> back (tt_deal is derived; the grains are not asked again until the deal moves).
    /// </summary>
    public static async Task AgeAsync(string connectionString, IEnumerable<string> deals, TimeSpan ago)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "UPDATE tt_deal SET lead_at = now() - $2, last_activity_at = now() - $2 WHERE id = ANY($1)", connection);
        command.Parameters.Add(new() { Value = deals.ToArray() });
        command.Parameters.Add(new() { Value = ago });
        await command.ExecuteNonQueryAsync();
    }
}
