using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace TechTransfer.Tests.Portal;

/// <summary>
/// 科技成果评价 at entry in the listing form: 信息完整度 and a prompt per missing item, updated as the university types
/// and ticks; the saved achievement's page shows the owner what is still missing. At 390 px.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class CompletenessPortalTests(PortalFixture fixture) : PortalJourney(fixture)
{
    [Fact]
    public async Task The_form_prompts_for_what_a_buyer_needs_as_it_is_filled_in_and_the_page_keeps_asking_the_owner()
    {
        var page = await SignedInAsync("demo-university", "#/achievements/new", 390, 844);
        var box = page.Locator("#completeness");
        await Expect(box.Locator("#completeness-score")).ToHaveTextAsync("0/6");
        await Expect(box.Locator("li[data-item=application]")).ToContainTextAsync("【应用领域】");

        await page.GetByLabel("成果简介").FillAsync("一种锂电池极片缺陷在线检测方法。【应用领域】锂电池极片生产线。【技术优势】检测速度提高 3 倍。");
        await Expect(box.Locator("#completeness-score")).ToHaveTextAsync("2/6");
        await Expect(box.Locator("li[data-item=application]")).ToHaveCountAsync(0);
        await page.GetByLabel("许可").CheckAsync();
        await Expect(box.Locator("#completeness-score")).ToHaveTextAsync("3/6");
        await PortalFixture.ScreenshotAsync(page, "completeness-form-390");

        await page.GetByLabel("成果名称").FillAsync($"{Infrastructure.Samples.UniqueWord()} 极片缺陷在线检测");
        await page.GetByLabel("技术领域").SelectOptionAsync(new SelectOptionValue { Label = "新能源与节能" });
        await page.GetByLabel("技术成熟度").SelectOptionAsync("6");
        await page.GetByLabel("所在省份").SelectOptionAsync("江苏");
        await page.GetByLabel("联系人").FillAsync("王老师");
        await page.GetByLabel("联系电话").FillAsync("025-12345678");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("极片缺陷在线检测");
        await Expect(page.Locator("#completeness-score")).ToHaveTextAsync("3/6");
        await Expect(page.Locator("#completeness li[data-item=maturity]")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "补充信息 →" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/edit$"));
    }
}
