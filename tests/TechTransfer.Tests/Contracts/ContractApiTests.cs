using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TechTransfer.Accounts;
using TechTransfer.Contracts;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;
using static TechTransfer.Tests.Contracts.ContractSamples;

namespace TechTransfer.Tests.Contracts;

/// <summary>
/// Contracts and the trading index through the real host. Contracts are registered straight through the registry
/// grain (in the product the deal does it), as demo-broker of 长三角 between the demo university and enterprise.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ContractApiTests(ApiFixture api)
{
    const string Region = "yangtze-delta";
    static readonly Actor DemoBroker = new("acct-demo-broker", "org-center-yangtze-delta", OrganizationKind.ServiceCenter, Role.Broker, Region);

    Task<ContractView> RegisterAsync(string signingDate, string buyer = "org-demo-enterprise", decimal amount = 120m, decimal tech = 100m) =>
        api.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IContractRegistryGrain>(Region)
            .RegisterAsync(DemoBroker, Facts(Region, seller: "org-demo-university", buyer: buyer), Content(amount, tech, signingDate));

    async Task<HttpStatusCode> StatusAsync(string? account, string path)
    {
        var client = account is null ? api.Anonymous() : await api.SignedInAsync(account);
        return (await client.GetAsync(path)).StatusCode;
    }

    async Task<HttpResponseMessage> AmendAsync(string? account, string number, object body)
    {
        var client = account is null ? api.Anonymous() : await api.SignedInAsync(account);
        return await client.PostAsJsonAsync($"/api/contracts/{number}/amendments", body);
    }

    [Fact]
    public async Task A_contract_is_shown_to_its_parties_its_center_and_national_and_to_nobody_else()
    {
        var contract = await RegisterAsync("2001-06-18");
        var path = $"/api/contracts/{contract.Number}";

        var body = await (await (await api.SignedInAsync("demo-enterprise")).GetAsync(path)).BodyAsync();
        Assert.Equal(contract.Number, body.GetProperty("number").GetString());
        Assert.Equal("License", body.GetProperty("content").GetProperty("type").GetString());
        Assert.Equal("2001-06-18", body.GetProperty("content").GetProperty("signingDate").GetString());
        Assert.Equal(120m, body.GetProperty("effective").GetProperty("contractAmount").GetDecimal());
        Assert.Equal("org-demo-university", body.GetProperty("facts").GetProperty("sellerOrganizationId").GetString());
        Assert.Equal("acct-demo-broker", body.GetProperty("registeredBy").GetString());
        Assert.Equal(0, body.GetProperty("amendments").GetArrayLength());

        foreach (var insider in new[] { "demo-university", "demo-broker", "demo-national" })
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(insider, path));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync("demo-broker-greater-bay", path)); // another center's broker
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(null, path));

        var other = await RegisterAsync("2001-06-19", buyer: "org-demo-enterprise-3");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync("demo-enterprise", $"/api/contracts/{other.Number}")); // not a party
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync("demo-national", "/api/contracts/209901999999"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync("demo-national", "/api/contracts/tc-1"));
    }

    [Fact]
    public async Task Amendments_are_appended_by_the_centers_brokers_and_national_with_zh_and_en_errors()
    {
        var contract = await RegisterAsync("2001-07-02");

        var created = await AmendAsync("demo-broker", contract.Number, new { field = "contractAmount", value = 130, reason = "补充协议增加金额" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/contracts/{contract.Number}", created.Headers.Location?.OriginalString);
        var view = await created.BodyAsync();
        Assert.Equal(120m, view.GetProperty("content").GetProperty("contractAmount").GetDecimal());
        Assert.Equal(130m, view.GetProperty("effective").GetProperty("contractAmount").GetDecimal());
        var amendment = view.GetProperty("amendments")[0];
        Assert.Equal((1, "contractAmount", "120", "130", "补充协议增加金额"), (amendment.GetProperty("no").GetInt32(),
            amendment.GetProperty("field").GetString(), amendment.GetProperty("oldValue").GetString(),
            amendment.GetProperty("newValue").GetString(), amendment.GetProperty("reason").GetString()));

        Assert.Equal(HttpStatusCode.Created,
            (await AmendAsync("demo-national", contract.Number, new { field = "buyer", value = "珠江电池股份有限公司", reason = "更名" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AmendAsync("demo-university", contract.Number, new { field = "note", value = "x", reason = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AmendAsync("demo-enterprise", contract.Number, new { field = "note", value = "x", reason = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AmendAsync("demo-broker-greater-bay", contract.Number, new { field = "note", value = "x", reason = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AmendAsync(null, contract.Number, new { field = "note", value = "x", reason = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await AmendAsync("demo-broker", "209901999999", new { field = "note", value = "x", reason = "y" })).StatusCode);

        async Task<JsonElement> RefusedAsync(object body)
        {
            var response = await AmendAsync("demo-broker", contract.Number, body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.BodyAsync()).GetProperty("errors")[0];
        }
        var notAllowed = await RefusedAsync(new { field = "signingDate", value = "2001-07-01", reason = "改签订日期" });
        Assert.Equal(("field", "not-allowed"), (notAllowed.GetProperty("field").GetString(), notAllowed.GetProperty("rule").GetString()));
        Assert.Equal("修正项不能是“signingDate”", notAllowed.GetProperty("zh").GetString());
        var tooMuch = await RefusedAsync(new { field = "techTransactionAmount", value = "131", reason = "超过" });
        Assert.Equal(("value", "exceeds-contract-amount", "修正值不能超过合同金额", "value must not exceed contractAmount"),
            (tooMuch.GetProperty("field").GetString(), tooMuch.GetProperty("rule").GetString(), tooMuch.GetProperty("zh").GetString(), tooMuch.GetProperty("en").GetString()));
        var notText = await RefusedAsync(new { field = "note", value = new { a = 1 }, reason = "对象" });
        Assert.Equal(("value", "invalid-format"), (notText.GetProperty("field").GetString(), notText.GetProperty("rule").GetString()));
        var noReason = await RefusedAsync(new { field = "note", value = "补充说明" });
        Assert.Equal(("reason", "原因不能为空"), (noReason.GetProperty("field").GetString(), noReason.GetProperty("zh").GetString()));
        var badJson = await (await api.SignedInAsync("demo-broker")).PostAsync($"/api/contracts/{contract.Number}/amendments",
            new StringContent("{\"field\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);

        var after = await (await (await api.SignedInAsync("demo-university")).GetAsync($"/api/contracts/{contract.Number}")).BodyAsync();
        Assert.Equal(2, after.GetProperty("amendments").GetArrayLength());
        Assert.Equal("珠江电池股份有限公司", after.GetProperty("effective").GetProperty("buyer").GetString());
        Assert.Equal("珠江电池有限公司", after.GetProperty("content").GetProperty("buyer").GetString());
    }

    [Fact]
    public async Task The_trading_index_is_public_follows_registrations_and_keeps_its_ranges_bounded()
    {
        var anonymous = api.Anonymous();
        var standard = await (await anonymous.GetAsync("/api/trading-index")).BodyAsync();
        // By default the range and base follow the data (other tests of the collection may have registered already).
        if (standard.GetProperty("firstMonth").ValueKind == JsonValueKind.Null)
            Assert.Equal(("2026-01", 12, 0), (standard.GetProperty("baseMonth").GetString(), standard.GetProperty("months").GetArrayLength(),
                standard.GetProperty("registeredCount").GetInt32()));
        else
            Assert.InRange(standard.GetProperty("months").GetArrayLength(), 12, 36);
        Assert.Equal(8, standard.GetProperty("byField").GetArrayLength());
        Assert.Equal(9, standard.GetProperty("byRegion").GetArrayLength());

        await RegisterAsync("2001-09-03", amount: 300m, tech: 240m);
        await RegisterAsync("2001-09-21", amount: 100m, tech: 60m);
        await RegisterAsync("2001-10-08", amount: 90m, tech: 90m);
        var registered = await (await anonymous.GetAsync("/api/trading-index")).BodyAsync();
        Assert.NotEqual(JsonValueKind.Null, registered.GetProperty("baseTechTransactionAmount").ValueKind); // a base, so an index to show
        Assert.True(string.CompareOrdinal(registered.GetProperty("firstMonth").GetString(), "2001-09") <= 0);
        Assert.True(registered.GetProperty("registeredCount").GetInt32() >= 3);
        var index = await (await anonymous.GetAsync("/api/trading-index?from=2001-09&to=2001-10&base=2001-09")).BodyAsync();
        var months = index.GetProperty("months");
        // September: 2 contracts, 400, tech 300 → 100.00; October: 1, 90, tech 90 → 100 × 90/300 = 30.00
        Assert.Equal((2, 400m, 300m, 100m), (months[0].GetProperty("count").GetInt32(), months[0].GetProperty("contractAmount").GetDecimal(),
            months[0].GetProperty("techTransactionAmount").GetDecimal(), months[0].GetProperty("index").GetDecimal()));
        Assert.Equal((1, 30m), (months[1].GetProperty("count").GetInt32(), months[1].GetProperty("index").GetDecimal()));
        Assert.Equal(61, index.GetProperty("days").GetArrayLength());
        Assert.Equal(3, index.GetProperty("total").GetProperty("count").GetInt32());
        var region = index.GetProperty("byRegion").EnumerateArray().Single(r => r.GetProperty("code").GetString() == Region);
        Assert.Equal(("长三角", 3, 390m), (region.GetProperty("name").GetString(), region.GetProperty("count").GetInt32(),
            region.GetProperty("techTransactionAmount").GetDecimal()));
        var noBase = await (await anonymous.GetAsync("/api/trading-index?from=2001-09&to=2001-10&base=2001-08")).BodyAsync();
        Assert.Equal(JsonValueKind.Null, noBase.GetProperty("months")[0].GetProperty("index").ValueKind);

        foreach (var (query, field, rule) in new[]
        {
            ("from=2026-05&to=2026-04", "from", "after-to"),
            ("from=2020-01&to=2026-01", "to", "max-months"),
            ("to=2026-1", "to", "invalid-format"),
            ("from=2026-01&to=2026-02&base=x", "base", "invalid-format"),
        })
        {
            var response = await anonymous.GetAsync($"/api/trading-index?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var error = (await response.BodyAsync()).GetProperty("errors")[0];
            Assert.Equal((field, rule), (error.GetProperty("field").GetString(), error.GetProperty("rule").GetString()));
        }
    }
}
