namespace TechTransfer.Tests.Infrastructure;

/// <summary>Where the repository is, from wherever the tests run (the folder holding TechTransfer.sln).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TechTransfer.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("No TechTransfer.sln above " + AppContext.BaseDirectory);
    }
}
