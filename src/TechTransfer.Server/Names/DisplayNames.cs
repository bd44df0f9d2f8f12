using System.Text.Json;
using System.Text.Json.Nodes;
using TechTransfer.Accounts;
using TechTransfer.Organizations;
using TechTransfer.RegionalCenters;
using TechTransfer.Storage;

namespace TechTransfer.Names;

/// <summary>
/// The names people read for the ids in a view: an account's display name, an organization's name, a regional
/// center's name. Views keep their ids (integrators join on them); the host adds "names": { id → name } next to
/// them, so no page ever has to show "acct-…", "org-…" or a region code.
/// </summary>
public sealed class DisplayNames(IGrainFactory grains, RegionDirectory regions)
{
    /// <summary>Each distinct id once; ids that name nothing (or "system") get a Chinese word, never the id.</summary>
    public async Task<Dictionary<string, string>> OfAsync(IEnumerable<string?> ids)
    {
        var wanted = ids.OfType<string>().Where(id => id.Length > 0).Distinct().ToArray();
        var names = await Task.WhenAll(wanted.Select(NameAsync));
        return wanted.Zip(names).ToDictionary(p => p.First, p => p.Second);
    }

    async Task<string> NameAsync(string id)
    {
        if (id == "system") return "系统";
        if (id.StartsWith("acct-", StringComparison.Ordinal)) return await grains.GetGrain<IAccountGrain>(id).GetDisplayNameAsync() ?? "已注销账号";
        if (id.StartsWith("org-", StringComparison.Ordinal)) return (await grains.GetGrain<IOrganizationGrain>(id).GetAsync())?.Name ?? "未登记机构";
        return regions.Find(id)?.Name ?? id;
    }

    /// <summary>The view as JSON with "names" for the given ids.</summary>
    public async Task<JsonObject> WithNamesAsync<T>(T view, IEnumerable<string?> ids)
    {
        var body = JsonSerializer.SerializeToNode(view, TechTransferJson.Options)!.AsObject();
        body["names"] = JsonSerializer.SerializeToNode(await OfAsync(ids), TechTransferJson.Options);
        return body;
    }
}
