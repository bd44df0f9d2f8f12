using System.Text.Json.Nodes;
using Npgsql;
using TechTransfer.Accounts;
using TechTransfer.Achievements;
using TechTransfer.Listings;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;

namespace TechTransfer.Tests.Storage;

/// <summary>
/// A rolling upgrade runs old and new silos side by side: a grain state that a newer build wrote (with fields this
/// build does not know) and that this build then changes keeps those fields, at any depth.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StateCompatibilityTests(ClusterFixture fixture)
{
    static readonly Actor University = new("acct-sc-university", "org-sc-university", OrganizationKind.University, Role.Member);

    [Fact]
    public async Task A_state_written_by_a_newer_build_keeps_the_fields_this_build_does_not_know()
    {
        var id = ListingIds.NewAchievement();
        var phone = $"025-{Random.Shared.Next(10_000_000, 99_999_999)}"; // finds this grain's row
        var grain = fixture.Grains.GetGrain<IAchievementGrain>(id);
        var content = new AchievementContent("新版本字段保留测试成果", "本成果用于验证滚动升级时状态字段不丢失。", ["滚动升级"],
            TechField.ElectronicInformation, 5, [TransferMode.License], 100m, "江苏", [], new("张老师", phone, null));
        var created = await grain.CreateAsync(University, content);

        // What a newer build would have stored: a field at the top and one inside the content.
        var row = $"graintypestring = 'achievement' AND convert_from(payloadbinary, 'UTF8') LIKE '%{phone}%'";
        Assert.Equal(1, await fixture.Database.CountAsync($"SELECT count(*) FROM orleansstorage WHERE {row}"));
        await ExecuteAsync($$"""
            UPDATE orleansstorage SET payloadbinary = convert_to(jsonb_set(jsonb_set(convert_from(payloadbinary, 'UTF8')::jsonb,
                '{addedByANewerBuild}', '{"level": 2, "notes": ["a"]}'), '{content,newerContentField}', '"kept"')::text, 'UTF8')
            WHERE {{row}}
            """);
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero); // the next call reads the row

        await grain.UpdateAsync(University, content with { Title = "新版本字段保留测试成果（修订）" }, created.Version);

        var stored = JsonNode.Parse(await ScalarAsync($"SELECT convert_from(payloadbinary, 'UTF8') FROM orleansstorage WHERE {row}"))!;
        Assert.Equal("新版本字段保留测试成果（修订）", (string?)stored["content"]!["title"]); // this build's change is stored
        Assert.Equal("kept", (string?)stored["content"]!["newerContentField"]);
        Assert.Equal(2, (int?)stored["addedByANewerBuild"]!["level"]);
        Assert.Equal("a", (string?)stored["addedByANewerBuild"]!["notes"]![0]);
    }

    async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    async Task<string> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
