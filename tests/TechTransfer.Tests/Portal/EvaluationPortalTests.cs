using System.Net.Http.Json;
using Microsoft.Playwright;
using TechTransfer.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// 科技成果评价 in the portal: the center starts an evaluation from the achievement's page, an invited expert finds it
/// under 我的评审 and signs a review on a phone, the center publishes, and anyone sees the conclusion on the
/// achievement's page. Names only, at 1366 and 390 px.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class EvaluationPortalTests(PortalFixture fixture) : PortalJourney(fixture)
{
    [Fact]
    public async Task The_center_starts_an_evaluation_an_expert_signs_a_review_and_the_published_conclusion_shows_on_the_achievement()
    {
        var title = $"高通量陶瓷膜分离提纯工艺 {Samples.UniqueWord()}";
        var achievement = await (await Portal.SignedInClientAsync("demo-university")).CreatePublishedAsync("/api/achievements",
            Samples.Achievement(title).With("province", "江苏"));
        var first = await FreshOrganization.CreateAsync(Portal.SignedInClientAsync, "University");
        var second = await FreshOrganization.CreateAsync(Portal.SignedInClientAsync, "University");

        // The center's broker starts it from the achievement's page, naming two experts by their sign-in names.
        var center = await SignedInAsync("demo-broker", $"#/achievements/{achievement}");
        var section = center.Locator("#evaluations");
        await Expect(section).ToContainTextAsync("尚无评价");
        await section.Locator("#evaluation-reviewers-input").FillAsync($"{first.Account}，{second.Account}");
        await section.GetByRole(AriaRole.Button, new() { Name = "发起评价" }).ClickAsync();
        await Expect(center.Locator("#evaluation-status")).ToHaveTextAsync("评审中");
        await Expect(center.Locator("#evaluation-reviewers")).ToContainTextAsync("（待评审）");
        var id = center.Url.Split("#/evaluations/")[1];
        await PortalFixture.ScreenshotAsync(center, "evaluation-started-1366");

        // The first expert, on a phone: 我的评审 lists it; the review form; a dialog says signing is final.
        var expert = await SignedInAsync(first.Account, "#/evaluations", 390, 844);
        var invitation = expert.Locator("#invitations li", new() { HasText = title });
        await Expect(invitation).ToContainTextAsync("待评审");
        await invitation.GetByRole(AriaRole.Link).ClickAsync();
        var form = expert.Locator("#review-form");
        await form.Locator("select[name=trl]").SelectOptionAsync("6");
        await form.Locator("textarea[name=trlEvidence]").FillAsync("中试线连续运行 500 小时\n第三方检测报告");
        await form.GetByLabel("国内首创").CheckAsync();
        await form.GetByLabel("国内领先").CheckAsync();
        await form.GetByLabel("自主知识产权").CheckAsync();
        await form.Locator("textarea[name=comment]").FillAsync("工艺路线清晰，放大数据可信，建议补充长期运行数据。");
        await form.GetByRole(AriaRole.Button, new() { Name = "签署并提交" }).ClickAsync();
        var dialog = expert.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("签署后意见不能修改");
        await PortalFixture.ScreenshotAsync(expert, "evaluation-review-390");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "签署提交" }).ClickAsync();
        await Expect(expert.Locator("#review-list li")).ToHaveCountAsync(1);
        await Expect(expert.Locator("#review-list")).ToContainTextAsync("成熟度 6 级");
        await Expect(expert.Locator("#review-form")).ToHaveCountAsync(0);
        await PortalFixture.FitsAsync(expert, 390);

        // The second expert signs through the API; the center publishes with its statement.
        var review = await (await Portal.SignedInClientAsync(second.Account)).PostAsJsonAsync($"/api/evaluations/{id}/reviews", new
        {
            trl = 5, trlEvidence = new[] { "小试报告" }, innovation = "Improved", advancement = "ChinaAdvanced", hardTech = new[] { "IndependentIp" },
            comment = "具备自主知识产权，产业化尚需验证。",
        });
        Assert.True(review.IsSuccessStatusCode, await review.Content.ReadAsStringAsync());
        await center.ReloadAsync();
        await center.Locator("#publish-statement").FillAsync("该成果处于中试阶段，具备自主知识产权，建议推进产业化验证。");
        await center.GetByRole(AriaRole.Button, new() { Name = "公布评价" }).ClickAsync();
        var publish = center.GetByRole(AriaRole.Dialog);
        await Expect(publish).ToContainTextAsync("依据 2 份已签署的意见");
        await publish.GetByRole(AriaRole.Button, new() { Name = "确认公布" }).ClickAsync();
        var summary = center.Locator("#evaluation-summary");
        await Expect(summary).ToContainTextAsync("5 级");
        await Expect(summary).ToContainTextAsync("有改进创新");
        await Expect(summary).ToContainTextAsync("国内先进");
        await Expect(center.Locator("#review-list li")).ToHaveCountAsync(2);
        await Expect(center.Locator("#evaluation-manage")).ToHaveCountAsync(0);
        await PortalFixture.ScreenshotAsync(center, "evaluation-published-1366");

        // Anyone: the conclusion on the achievement's page.
        var visitor = await AnonymousAsync(390, 844);
        await visitor.GotoAsync($"/#/achievements/{achievement}");
        await Expect(visitor.Locator("#evaluations")).ToContainTextAsync("技术成熟度 5 级");
        await Expect(visitor.Locator("#evaluations")).ToContainTextAsync("建议推进产业化验证");
        await visitor.Locator("#evaluations").ScrollIntoViewIfNeededAsync();
        await PortalFixture.ScreenshotAsync(visitor, "evaluation-on-achievement-390");
        await PortalFixture.FitsAsync(visitor, 390);
        foreach (var p in new[] { center, expert, visitor })
            Assert.DoesNotContain("acct-", await p.Locator("main").InnerTextAsync());
    }
}
