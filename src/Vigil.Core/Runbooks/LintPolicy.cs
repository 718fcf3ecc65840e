using Microsoft.Extensions.FileSystemGlobbing;
using Vigil.Core.Config;

namespace Vigil.Core.Runbooks;

/// <summary>
/// A project's lint policy, from <c>runbooks.lint</c>, <c>runbooks.executable</c> and <c>runbooks.schedules</c>: which
/// rules are off, which severities change (for every runbook, or per path glob), which front matter keys are ignored,
/// and which runbooks and procedures are run through Vigil (where an undeclared placeholder is an error). Globs are
/// relative to <see cref="BaseDirectory"/> (the config file's folder). Pure: paths are compared as text.
/// </summary>
public sealed class LintPolicy
{
    private readonly Dictionary<string, LintSeverity?> _rules;
    private readonly List<(Matcher Paths, Dictionary<string, LintSeverity?> Rules)> _overrides;
    private readonly Matcher? _executable;
    private readonly List<(string Runbook, string? Procedure)> _scheduled;

    private LintPolicy(string? baseDirectory, Dictionary<string, LintSeverity?> rules, List<(Matcher, Dictionary<string, LintSeverity?>)> overrides,
        Matcher? executable, List<(string, string?)> scheduled, HashSet<string> ignoredKeys, string? baseline)
    {
        BaseDirectory = baseDirectory;
        _rules = rules;
        _overrides = overrides;
        _executable = executable;
        _scheduled = scheduled;
        IgnoredFrontMatterKeys = ignoredKeys;
        Baseline = baseline;
    }

    /// <summary>No project policy: every rule at its own severity.</summary>
    public static LintPolicy None { get; } = new(null, [], [], null, [], [], null);

    /// <summary>The folder globs are relative to; null: the process's current folder.</summary>
    public string? BaseDirectory { get; }

    /// <summary>Front matter keys whose "unknown key" finding is dropped (<c>runbooks.lint.ignore_front_matter_keys</c>).</summary>
    public IReadOnlySet<string> IgnoredFrontMatterKeys { get; }

    /// <summary>The baseline file as configured (relative to <see cref="BaseDirectory"/>), or null.</summary>
    public string? Baseline { get; }

    /// <summary>The policy a validated config sets; <paramref name="baseDirectory"/> is the config file's folder.</summary>
    public static LintPolicy From(RunbooksConfig runbooks, string? baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(runbooks);
        var lint = runbooks.Lint;
        var overrides = lint.Overrides.Where(o => o is not null).Select(o => (Globs(o.Paths), Settings(o.Rules))).ToList();
        var executable = runbooks.Executable.Count == 0 ? null : Globs(runbooks.Executable);
        var scheduled = runbooks.Schedules.Where(s => s is not null && !s.Paused && !string.IsNullOrWhiteSpace(s.Runbook))
            .Select(s => (Normalize(s.Runbook), s.Procedure)).ToList();
        return new LintPolicy(baseDirectory, Settings(lint.Rules), overrides, executable, scheduled,
            new HashSet<string>(lint.IgnoreFrontMatterKeys.Where(k => !string.IsNullOrWhiteSpace(k)), StringComparer.OrdinalIgnoreCase), lint.Baseline);
    }

    /// <summary>The path of <paramref name="fullPath"/> relative to <see cref="BaseDirectory"/>, with <c>/</c> separators: what globs and fingerprints see.</summary>
    public string Relative(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        var relative = Path.GetRelativePath(Path.GetFullPath(BaseDirectory ?? "."), Path.GetFullPath(fullPath));
        return relative.Replace('\\', '/');
    }

    /// <summary>
    /// The severity a finding of <paramref name="rule"/> in the runbook at <paramref name="relativePath"/> gets: the last
    /// matching override, else <c>runbooks.lint.rules</c>, else <paramref name="severity"/> (the rule's own). Null: the rule is off.
    /// </summary>
    public LintSeverity? SeverityOf(string rule, LintSeverity severity, string relativePath)
    {
        LintSeverity? result = _rules.TryGetValue(rule, out var set) ? set : severity;
        foreach (var (paths, rules) in _overrides)
        {
            if (rules.TryGetValue(rule, out var over) && paths.Match(relativePath).HasMatches)
            {
                result = over;
            }
        }

        return result;
    }

    /// <summary>
    /// Whether the team runs <paramref name="procedure"/> of the runbook at <paramref name="relativePath"/> through Vigil:
    /// the runbook says <c>vigil: executable</c>, matches <c>runbooks.executable</c>, or a schedule runs the procedure.
    /// </summary>
    public bool IsExecutable(Runbook runbook, string relativePath, RunbookProcedure procedure)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        ArgumentNullException.ThrowIfNull(procedure);
        if (runbook.Metadata.Executable || (_executable is not null && _executable.Match(relativePath).HasMatches))
        {
            return true;
        }

        var path = Normalize(relativePath);
        return _scheduled.Any(s =>
            (s.Runbook == path || string.Equals(s.Runbook, runbook.Metadata.Id, StringComparison.Ordinal))
            && (s.Procedure is null
                ? runbook.Procedures.Count == 1 || procedure == runbook.Procedures[0]
                : string.Equals(s.Procedure, procedure.Slug, StringComparison.OrdinalIgnoreCase) || string.Equals(s.Procedure, procedure.Title, StringComparison.OrdinalIgnoreCase)));
    }

    private static string Normalize(string path)
    {
        var p = path.Trim().Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        return p;
    }

    // "runbooks/legacy/" means everything under it; "./x" is "x".
    private static Matcher Globs(IEnumerable<string> globs)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        foreach (var glob in globs.Where(g => !string.IsNullOrWhiteSpace(g)))
        {
            var g = Normalize(glob);
            matcher.AddInclude(g.EndsWith('/') ? g + "**" : g);
        }

        return matcher;
    }

    private static Dictionary<string, LintSeverity?> Settings(IReadOnlyDictionary<string, string> rules) =>
        rules.Where(r => r.Value is not null).ToDictionary(r => r.Key, r => r.Value switch
        {
            "info" => LintSeverity.Info,
            "warning" => LintSeverity.Warning,
            "error" => (LintSeverity?)LintSeverity.Error,
            _ => null,
        }, StringComparer.Ordinal);
}
