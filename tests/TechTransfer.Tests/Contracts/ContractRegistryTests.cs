using System.Text.RegularExpressions;
using TechTransfer.Contracts;
using TechTransfer.Problems;
using TechTransfer.Tests.Infrastructure;
using TechTransfer.Vocabulary;
using static TechTransfer.Tests.Contracts.ContractSamples;

namespace TechTransfer.Tests.Contracts;

/// <summary>
/// Registration, amendments and the national index on the 2-silo cluster. Each test uses its own regions and signing
/// months, so the shared national index can be checked month by month.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ContractRegistryTests(ClusterFixture fixture)
{
    IContractRegistryGrain Registry(string region, int silo = 0) => fixture.GrainsOnSilo(silo).GetGrain<IContractRegistryGrain>(region);

    ITradingIndexGrain Index => TradingIndex.Get(fixture.Grains);

    [Fact]
    public async Task Fifty_concurrent_registrations_through_both_silos_get_gap_free_unique_numbers()
    {
        const string region = "central"; // sixth in regions.json → center 06
        var broker = BrokerOf(region);
        var views = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Registry(region, silo: i % 2).RegisterAsync(broker, Facts(region), Content(10m + i, 5m + i, "2004-01-15"))));

        var year = Today.Year;
        Assert.All(views, v => Assert.Matches(new Regex($"^{year}06[0-9]{{6}}$"), v.Number));
        Assert.Equal(Enumerable.Range(1, 50), views.Select(v => int.Parse(v.Number[6..])).Order());
        foreach (var view in views)
        {
            var stored = await fixture.Grains.Contract(view.Number).GetAsync(broker);
            Assert.Equal(view.Facts.DealId, stored!.Facts.DealId);
            Assert.Equal(view.Content, stored.Content);
        }
        var month = (await Index.GetAsync("2004-01", "2004-01")).Months.Single();
        Assert.Equal((50, Enumerable.Range(0, 50).Sum(i => 10m + i)), (month.Count, month.ContractAmount));
    }

    [Fact]
    public async Task A_repeated_registration_of_a_deal_returns_the_first_one_unchanged_and_takes_no_number()
    {
        const string region = "jing-jin-ji";
        var broker = BrokerOf(region);
        var facts = Facts(region);
        var first = await Registry(region).RegisterAsync(broker, facts, Content(200m, 150m, "2004-02-01"));
        var again = await Registry(region, silo: 1).RegisterAsync(broker, facts, Content(999m, 1m, "2004-02-02", note: "另一份"));
        Assert.Equal(first.Number, again.Number);
        Assert.Equal(first.Content, again.Content);
        Assert.Equal(first.RegisteredAt, again.RegisteredAt);

        await fixture.Cluster.DeactivateAsync(Registry(region)); // the outbox is empty by now: the deal's link answers
        var later = await Registry(region).RegisterAsync(NationalAdmin, facts, Content(5m, 1m, "2004-02-03"));
        Assert.Equal(first.Number, later.Number);
        Assert.Equal(first.Content, later.Content);

        var next = await Registry(region).RegisterAsync(broker, Facts(region), Content(1m, 1m, "2004-02-04"));
        Assert.Equal(long.Parse(first.Number) + 1, long.Parse(next.Number));
        Assert.Equal(2, (await Index.GetAsync("2004-02", "2004-02")).Months.Single().Count);
    }

    [Fact]
    public async Task Only_the_centers_staff_and_the_national_level_register_and_only_valid_contracts()
    {
        const string region = "northwest";
        var content = Content(10m, 5m, "2004-03-01");
        Task<ContractView> Register(TechTransfer.Accounts.Actor actor, ContractFacts facts, ContractContent c) => Registry(region).RegisterAsync(actor, facts, c);

        Assert.Equal(ProblemCodes.Forbidden, (await Assert.ThrowsAsync<ProblemException>(() => Register(BrokerOf("central"), Facts(region), content))).Code);
        Assert.Equal(ProblemCodes.Forbidden, (await Assert.ThrowsAsync<ProblemException>(() => Register(MemberOf("org-buyer-enterprise"), Facts(region), content))).Code);

        var elsewhere = await Assert.ThrowsAsync<ProblemException>(() => Register(BrokerOf(region), Facts("central"), content));
        Assert.Equal(("facts.regionCode", "not-allowed"), (elsewhere.Errors.Single().Field, elsewhere.Errors.Single().Rule));
        var badField = await Assert.ThrowsAsync<ProblemException>(() => Register(BrokerOf(region), Facts(region, techField: "Magic"), content));
        Assert.Equal("facts.techField", badField.Errors.Single().Field);

        // Content built by hand, past the form, is held to the form's rules all the same.
        var tooMuch = await Assert.ThrowsAsync<ProblemException>(() => Register(BrokerOf(region), Facts(region), content with { TechTransactionAmount = 11m }));
        Assert.Equal(("techTransactionAmount", "exceeds-contract-amount"), (tooMuch.Errors.Single().Field, tooMuch.Errors.Single().Rule));
        var future = await Assert.ThrowsAsync<ProblemException>(() => Register(BrokerOf(region), Facts(region), content with { SigningDate = Today.AddDays(1) }));
        Assert.Equal(("signingDate", "in-future"), (future.Errors.Single().Field, future.Errors.Single().Rule));

        var admitted = await Register(NationalAdmin, Facts(region), content);
        Assert.EndsWith("07000001", admitted.Number); // none of the refused attempts took a number
    }

    [Fact]
    public async Task A_registered_contract_never_changes_corrections_are_appended_and_only_its_center_and_national_amend()
    {
        const string region = "east-coast";
        var broker = BrokerOf(region);
        var facts = Facts(region, techField: "AdvancedManufacturing", seller: "org-amend-university", buyer: "org-amend-enterprise");
        var original = Content(500m, 400m, "2004-04-08", type: "Transfer", note: "首次登记");
        var registered = await Registry(region).RegisterAsync(broker, facts, original);
        var contract = fixture.Grains.Contract(registered.Number);

        var view = await contract.AmendAsync(broker, "contractAmount", "520", "补充协议增加金额");
        view = await contract.AmendAsync(broker, "techTransactionAmount", "450.5", "技术交易额核定");
        view = await contract.AmendAsync(NationalAdmin, "seller", " 江南大学技术转移中心 ", "卖方名称更正");
        view = await contract.AmendAsync(broker, "note", null, "删除备注");

        Assert.Equal(original, view.Content); // the registration as it was
        Assert.Equal(original with { ContractAmount = 520m, TechTransactionAmount = 450.5m, Seller = "江南大学技术转移中心", Note = null }, view.Effective);
        Assert.Equal([1, 2, 3, 4], view.Amendments.Select(a => a.No));
        Assert.Equal(("contractAmount", "500", "520", "补充协议增加金额", broker.AccountId),
            (view.Amendments[0].Field, view.Amendments[0].OldValue, view.Amendments[0].NewValue, view.Amendments[0].Reason, view.Amendments[0].AmendedBy));
        Assert.Equal(("note", "首次登记", (string?)null), (view.Amendments[3].Field, view.Amendments[3].OldValue, view.Amendments[3].NewValue));

        await fixture.Cluster.DeactivateAsync(contract);
        var reloaded = await contract.GetAsync(broker);
        Assert.Equal(view.Effective, reloaded!.Effective);
        Assert.Equal(original, reloaded.Content);
        Assert.Equal(view.Amendments, reloaded.Amendments);

        // The index follows the corrected amounts: +20 contract, +50.5 tech; still one contract.
        var month = (await Index.GetAsync("2004-04", "2004-04")).Months.Single();
        Assert.Equal((1, 520m, 450.5m), (month.Count, month.ContractAmount, month.TechTransactionAmount));

        // Who may do what.
        Assert.Equal(ProblemCodes.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => contract.AmendAsync(BrokerOf("central"), "note", "x", "y"))).Code);
        Assert.Equal(ProblemCodes.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => contract.AmendAsync(MemberOf("org-unrelated"), "note", "x", "y"))).Code);
        Assert.Equal(ProblemCodes.Forbidden, (await Assert.ThrowsAsync<ProblemException>(() => contract.AmendAsync(MemberOf("org-amend-university", OrganizationKind.University), "note", "x", "y"))).Code);
        Assert.Null(await contract.GetAsync(BrokerOf("central")));
        Assert.Null(await contract.GetAsync(MemberOf("org-unrelated")));
        Assert.Null(await contract.GetAsync(null));
        Assert.NotNull(await contract.GetAsync(MemberOf("org-amend-university", OrganizationKind.University)));
        Assert.NotNull(await contract.GetAsync(MemberOf("org-amend-enterprise")));
        Assert.NotNull(await contract.GetAsync(NationalAdmin));

        // What an amendment may say.
        async Task Refused(string field, string? value, string reason, string errorField, string rule)
        {
            var problem = await Assert.ThrowsAsync<ProblemException>(() => contract.AmendAsync(broker, field, value, reason));
            Assert.Contains(problem.Errors, e => e.Field == errorField && e.Rule == rule);
        }
        await Refused("signingDate", "2004-04-09", "改签约日", "field", "not-allowed");
        await Refused("type", "License", "改类型", "field", "not-allowed");
        await Refused("", "1", "空", "field", "required");
        await Refused("note", "x", " ", "reason", "required");
        await Refused("contractAmount", "五百", "中文数字", "value", "invalid-format");
        await Refused("contractAmount", "0", "归零", "value", "positive");
        await Refused("techTransactionAmount", "600", "超过合同金额", "value", "exceeds-contract-amount");
        await Refused("contractAmount", "100", "低于技术交易额", "techTransactionAmount", "exceeds-contract-amount");
        await Refused("buyer", "", "清空买方", "value", "required");
        await Refused("contractAmount", "520.0", "同值", "value", "unchanged");
        Assert.Equal(4, (await contract.GetAsync(broker))!.Amendments.Length); // nothing refused was appended
    }

    [Fact]
    public async Task The_index_matches_the_hand_computed_example_and_survives_reactivation()
    {
        // TradingIndexExample: A (northeast), B and C (southwest), signed in April and May 2003.
        var views = new List<ContractView>();
        foreach (var e in TradingIndexExample.Contracts)
            views.Add(await Registry(e.RegionCode).RegisterAsync(BrokerOf(e.RegionCode), Facts(e.RegionCode, e.TechField),
                Content(e.ContractAmount, e.TechTransactionAmount, e.SigningDate.ToString("yyyy-MM-dd"))));
        TradingIndexExample.AssertExample(await Index.GetAsync("2003-04", "2003-06", "2003-04"));

        await fixture.Grains.Contract(views[2].Number).AmendAsync(BrokerOf("southwest"), "techTransactionAmount", "240", "核定技术交易额");
        TradingIndexExample.AssertAmended(await Index.GetAsync("2003-04", "2003-06", "2003-04"));

        await fixture.Cluster.DeactivateAsync(Index);
        var reloaded = await Index.GetAsync("2003-04", "2003-06", "2003-04");
        TradingIndexExample.AssertAmended(reloaded);
        Assert.NotNull(reloaded.UpdatedAt);

        var againstMay = await Index.GetAsync("2003-04", "2003-06", "2003-05");
        Assert.Equal([62.50m, 100.00m, 0m], againstMay.Months.Select(m => m.Index)); // 100 × 150/240, 100 × 240/240
        var noBase = await Index.GetAsync("2003-04", "2003-06", "2003-03");
        Assert.Null(noBase.BaseTechTransactionAmount);
        Assert.All(noBase.Months, m => Assert.Null(m.Index));
    }

    [Fact]
    public async Task A_registration_is_counted_exactly_once_when_the_index_was_down_and_when_it_is_sent_again()
    {
        const string region = "beibu-gulf";
        var broker = BrokerOf(region);
        async Task<TradingMonth> February() => (await Index.GetAsync("2005-02", "2005-02")).Months.Single();

        var first = await Registry(region).RegisterAsync(broker, Facts(region), Content(100m, 80m, "2005-02-01"));
        Assert.Equal((1, 80m), ((await February()).Count, (await February()).TechTransactionAmount));

        // Sent again, by the registry after a restart or by hand: skipped by the index.
        await fixture.Cluster.DeactivateAsync(Registry(region));
        Assert.Equal(0, await Registry(region).FlushAsync());
        Assert.Equal(first.Number, await Index.ApplyRegistrationsAsync(region, [Entry(first)]));
        Assert.Equal(1, (await February()).Count);

        ContractView second;
        await using (await RefuseIndexWritesAsync(fixture.Database.ConnectionString))
        {
            // The index cannot store: the registration is still acknowledged and stored, and waits in the outbox.
            second = await Registry(region).RegisterAsync(broker, Facts(region), Content(50m, 40m, "2005-02-02"));
            Assert.NotNull(await fixture.Grains.Contract(second.Number).GetAsync(broker));
            Assert.Equal(1, await Registry(region).FlushAsync());
            await fixture.Cluster.DeactivateAsync(Registry(region)); // as if its silo died: the outbox is in its row
            Assert.Equal(1, await Registry(region, silo: 1).FlushAsync());
            Assert.Equal(1, (await February()).Count);

            // An amount correction while the index is down is stored, and reported later.
            var amended = await fixture.Grains.Contract(second.Number).AmendAsync(broker, "contractAmount", "60", "补充协议");
            Assert.Equal(60m, amended.Effective.ContractAmount);
        }

        Assert.Equal(0, await Registry(region).FlushAsync());
        Assert.Equal((2, 150m, 120m), ((await February()).Count, (await February()).ContractAmount, (await February()).TechTransactionAmount));
        await fixture.Cluster.DeactivateAsync(fixture.Grains.Contract(second.Number));
        await fixture.Grains.Contract(second.Number).GetAsync(broker); // its activation reports the amendment
        Assert.Equal((2, 160m), ((await February()).Count, (await February()).ContractAmount));

        // Everything once more, from every side: nothing moves.
        Assert.Equal(0, await Registry(region).FlushAsync());
        Assert.Equal(second.Number, await Index.ApplyRegistrationsAsync(region, [Entry(first), Entry(second)]));
        await Index.ApplyAmendmentsAsync(Entry(second), [new AmountChange(1, 10m, 0m)]);
        await fixture.Cluster.DeactivateAsync(fixture.Grains.Contract(second.Number));
        await fixture.Grains.Contract(second.Number).GetAsync(broker);
        await fixture.Cluster.DeactivateAsync(Index);
        Assert.Equal((2, 160m, 120m), ((await February()).Count, (await February()).ContractAmount, (await February()).TechTransactionAmount));
    }
}
