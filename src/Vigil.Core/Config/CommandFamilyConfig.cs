namespace Vigil.Core.Config;

/// <summary>
/// One entry of <c>runbooks.commands:</c>: how a command family's verbs and options are classed (read, change or
/// destroy). It extends or overrides Vigil's built-in table (src/Vigil.Core/Runbooks/commands.yaml) key by key;
/// see docs/configuration.md and docs/runbooks.md.
/// </summary>
public sealed class CommandFamilyConfig : IConfigValidatable
{
    internal static readonly string[] Classes = ["read", "change", "destroy"];
    internal static readonly string[] WrapModes = ["rest", "string", "dash-c"];

    /// <summary>Read this command as another family (its entries, then these on top).</summary>
    public string? Alias { get; set; }

    /// <summary>Class of a verb not listed: read, change or destroy.</summary>
    public string? Default { get; set; }

    /// <summary>Verb (words after the command, options skipped; may name required options) to class.</summary>
    public IReadOnlyDictionary<string, string> Verbs { get; set; } = new Dictionary<string, string>();

    /// <summary>Option to the class it raises a change verb to (read: the option makes the command a dry run).</summary>
    public IReadOnlyDictionary<string, string> Flags { get; set; } = new Dictionary<string, string>();

    /// <summary>Option (or word) to the class it gives any verb, even a read one (read: a dry run).</summary>
    public IReadOnlyDictionary<string, string> Always { get; set; } = new Dictionary<string, string>();

    /// <summary>Options that take the next word as their value.</summary>
    public IReadOnlyList<string> OptionsWithValues { get; set; } = [];

    /// <summary>The verb may be any of the first positional words, not only the first ones (aws, gcloud, az).</summary>
    public bool? Search { get; set; }

    /// <summary>Verbs match in any case.</summary>
    public bool? IgnoreCase { get; set; }

    /// <summary>A short-option cluster such as <c>-rf</c> is read as <c>-r -f</c>.</summary>
    public bool? Clusters { get; set; }

    /// <summary>Verb to where the command it runs starts: <c>--</c>, a number of words to skip, or <c>string:N</c>.</summary>
    public IReadOnlyDictionary<string, string> Runs { get; set; } = new Dictionary<string, string>();

    /// <summary>Options followed by a command ended by <c>;</c> or <c>+</c> (find -exec).</summary>
    public IReadOnlyList<string> ExecOptions { get; set; } = [];

    /// <summary>Options whose value is a shell script.</summary>
    public IReadOnlyList<string> ScriptOptions { get; set; } = [];

    /// <summary>Options whose value is SQL.</summary>
    public IReadOnlyList<string> SqlOptions { get; set; } = [];

    /// <summary>The command runs another: rest, string or dash-c.</summary>
    public string? Wraps { get; set; }

    /// <summary>With <c>wraps</c>, positional words to skip before the wrapped command.</summary>
    [NumberRange(0, 10)]
    public int? Skip { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        foreach (var problem in Problems())
        {
            context.Error(problem.Key is null ? path : ConfigPath.MapKey(ConfigPath.Member(path, problem.Map), problem.Key), problem.Message);
        }

        if (Default is { } d && !Classes.Contains(d, StringComparer.Ordinal))
        {
            context.Error(ConfigPath.Member(path, "default"), $"`default` is `{d}`; use read, change or destroy");
        }

        if (Wraps is { } w && !WrapModes.Contains(w, StringComparer.Ordinal))
        {
            context.Error(ConfigPath.Member(path, "wraps"), $"`wraps` is `{w}`; use rest (sudo cmd …), string (ssh host 'cmd') or dash-c (bash -c 'cmd')");
        }
    }

    /// <summary>Bad values in the maps, each with the map's key and the entry's key (both used by the embedded table's own check).</summary>
    internal IEnumerable<(string Map, string? Key, string Message)> Problems()
    {
        foreach (var (map, entries) in new[] { ("verbs", Verbs), ("flags", Flags), ("always", Always) })
        {
            foreach (var (key, value) in entries)
            {
                if (!Classes.Contains(value, StringComparer.Ordinal))
                {
                    yield return (map, key, $"`{key}` is classed `{value}`; use read, change or destroy");
                }
                else if (string.IsNullOrWhiteSpace(key))
                {
                    yield return (map, key, "an empty key matches nothing; name a verb or option");
                }
            }
        }

        foreach (var (key, value) in Runs)
        {
            if (!(value == "--" || int.TryParse(value, out var n) && n is >= 0 and <= 10
                || value.StartsWith("string:", StringComparison.Ordinal) && int.TryParse(value.AsSpan(7), out var m) && m is >= 0 and <= 10))
            {
                yield return ("runs", key, $"`{key}` runs `{value}`; use \"--\" (the command after a -- word), a number of words to skip (0–10) or string:N (skip N words, the rest is shell text)");
            }
        }
    }
}
