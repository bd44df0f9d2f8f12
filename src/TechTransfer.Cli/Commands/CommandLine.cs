namespace TechTransfer.Commands;

/// <summary>A command's arguments: positional values and --name value / --flag options.</summary>
public sealed class CommandLine
{
    readonly Dictionary<string, string?> options = new(StringComparer.Ordinal);
    readonly List<string> positional = [];

    public CommandLine(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) { positional.Add(args[i]); continue; }
            var name = args[i][2..];
            var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[name] = hasValue ? args[++i] : null;
        }
    }

    public string Positional(int index, string what) =>
        index < positional.Count ? positional[index] : throw new CommandException($"missing {what}");

    public string? Option(string name, string? environment = null) =>
        options.TryGetValue(name, out var value) && value is not null ? value
        : environment is null ? null : Environment.GetEnvironmentVariable(environment);

    public string Required(string name, string? environment = null) =>
        Option(name, environment) ?? throw new CommandException(
            $"--{name} is required{(environment is null ? "" : $" (or set {environment})")}");

    public bool Flag(string name) => options.ContainsKey(name);

    public int Int(string name, int fallback) =>
        Option(name) is { } text ? int.TryParse(text, out var value) ? value : throw new CommandException($"--{name} takes a number") : fallback;
}

public class CommandException(string message) : Exception(message);
