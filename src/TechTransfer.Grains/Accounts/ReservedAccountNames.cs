namespace TechTransfer.Accounts;

/// <summary>
/// Names nobody may take through the API, so that no account can pose as the system or stand in the bootstrap
/// admin's way: the configured bootstrap admin (TechTransfer:Accounts:BootstrapAdmin), the names below, and every
/// name starting with "national-" or "torch-" (the national level's).
/// </summary>
public static class ReservedAccountNames
{
    static readonly HashSet<string> Names = ["admin", "administrator", "root", "system", "superuser", "national", "torch", "techtransfer"];

    static readonly string[] Prefixes = ["national-", "torch-"];

    public static bool IsReserved(string name, string bootstrapAdmin)
    {
        var n = name.Trim().ToLowerInvariant();
        return n == bootstrapAdmin.Trim().ToLowerInvariant() || Names.Contains(n) || Prefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal));
    }
}
