using System.Net;
using System.Text;
using System.Text.Json;
using TechTransfer.Tests.Infrastructure;

namespace TechTransfer.Tests.Imports;

[Collection(ApiCollection.Name)]
public sealed class ImportApiTests(ApiFixture api)
{
    static string Line(string externalId, string title) =>
        Samples.Achievement(title).With("externalId", externalId).ToJsonString();

    static async Task<JsonElement> ImportAsync(HttpClient client, string jsonl, bool publish = false)
    {
        var response = await client.PostAsync($"/api/imports?publish={publish}", new StringContent(jsonl, Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.BodyAsync();
    }

    [Fact]
    public async Task A_good_catalogue_imports_and_the_same_file_again_creates_nothing()
    {
        var client = await api.SignedInAsync("demo-university");
        var run = Guid.NewGuid().ToString("N")[..6];
        var file = string.Join('\n', Enumerable.Range(1, 5).Select(i => Line($"cat-{run}-{i}", $"目录成果 {run} 第{i}项")));
        var before = await api.Database.CountAsync("SELECT count(*) FROM tt_listing");

        var first = await ImportAsync(client, file, publish: true);
        Assert.Equal(5, first.GetProperty("created").GetInt32());
        Assert.Equal(0, first.GetProperty("errors").GetArrayLength());
        Assert.Equal(before + 5, await api.Database.CountAsync("SELECT count(*) FROM tt_listing"));

        var second = await ImportAsync(client, file, publish: true);
        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(5, second.GetProperty("unchanged").GetInt32());
        Assert.Equal(before + 5, await api.Database.CountAsync("SELECT count(*) FROM tt_listing"));

        var changed = string.Join('\n', Enumerable.Range(1, 5).Select(i => Line($"cat-{run}-{i}", i == 3 ? $"目录成果 {run} 第3项（修订）" : $"目录成果 {run} 第{i}项")));
        var third = await ImportAsync(client, changed);
        Assert.Equal(1, third.GetProperty("updated").GetInt32());
        Assert.Equal(4, third.GetProperty("unchanged").GetInt32());
    }

    [Fact]
    public async Task Bad_rows_are_reported_by_line_while_good_rows_are_kept()
    {
        var client = await api.SignedInAsync("demo-university");
        var run = Guid.NewGuid().ToString("N")[..6];
        var lines = new[]
        {
            Line($"bad-{run}-1", "合格的第一行"),
            "{\"title\": ",                                                           // 2: not JSON
            Samples.Achievement("").With("externalId", $"bad-{run}-3").ToJsonString(), // 3: no title
            Line($"bad-{run}-1", "重复的外部编号"),                                      // 4: duplicate externalId
            Samples.Achievement("没有外部编号").ToJsonString(),                          // 5: no externalId
            Samples.Achievement("TRL 错误").With("externalId", $"bad-{run}-6").With("trl", 42).ToJsonString(),
            Line($"bad-{run}-7", "合格的第七行"),
        };

        var report = await ImportAsync(client, string.Join('\n', lines));

        Assert.Equal(2, report.GetProperty("created").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("line").GetInt32());
        Assert.Equal([2, 3, 4, 5, 6], errors.Keys.Order());
        Assert.Equal("title", errors[3].GetProperty("reasons")[0].GetProperty("field").GetString());
        Assert.Equal("duplicate", errors[4].GetProperty("reasons")[0].GetProperty("rule").GetString());
        Assert.Equal("externalId", errors[5].GetProperty("reasons")[0].GetProperty("field").GetString());
        Assert.Equal("trl", errors[6].GetProperty("reasons")[0].GetProperty("field").GetString());
        Assert.All(errors.Values, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("reasons")[0].GetProperty("zh").GetString())));
    }

    [Fact]
    public async Task Importing_needs_sign_in_and_an_organization_that_owns_achievements()
    {
        var line = Line("x-1", "无权导入");
        var anonymous = await api.Anonymous().PostAsync("/api/imports", new StringContent(line));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var broker = await api.SignedInAsync("demo-broker");
        Assert.Equal(HttpStatusCode.Forbidden, (await broker.PostAsync("/api/imports", new StringContent(line))).StatusCode);
    }
}
