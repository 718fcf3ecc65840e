using Vigil.Core.Runbooks;

namespace Vigil.Core.Config;

/// <summary>The <c>runbooks.lint:</c> section: the project's lint policy (rules on or off, severities, ignored front matter keys, a baseline).</summary>
public sealed class RunbookLintConfig : IConfigValidatable
{
    /// <summary>The words a rule's setting can be.</summary>
    internal static readonly string[] Settings = ["off", "info", "warning", "error"];

    /// <summary>Rule id → <c>off</c>, <c>info</c>, <c>warning</c> or <c>error</c>, for every runbook (see <c>vigil runbook lint --rules</c>).</summary>
    public IReadOnlyDictionary<string, string> Rules { get; set; } = new Dictionary<string, string>();

    /// <summary>Rule settings for runbooks matching path globs (relative to the config file); later entries win over earlier ones and over <c>rules</c>.</summary>
    public IReadOnlyList<RunbookLintOverrideConfig> Overrides { get; set; } = [];

    /// <summary>Front matter keys that raise no <c>parse</c> finding, beyond the static-site keys ignored anyway (Hugo's <c>weight</c>, <c>bookCollapseSection</c>, …).</summary>
    public IReadOnlyList<string> IgnoreFrontMatterKeys { get; set; } = [];

    /// <summary>A baseline file (relative to the config file) written by <c>vigil runbook lint --write-baseline</c>; findings it holds are not reported again.</summary>
    public string? Baseline { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        CheckRules(Rules, ConfigPath.Member(path, "rules"), context);
        for (var i = 0; i < Overrides.Count; i++)
        {
            if (Overrides[i] is { } entry)
            {
                var at = ConfigPath.Index(ConfigPath.Member(path, "overrides"), i);
                CheckRules(entry.Rules, ConfigPath.Member(at, "rules"), context);
                for (var j = 0; j < entry.Paths.Count; j++)
                {
                    if (string.IsNullOrWhiteSpace(entry.Paths[j]))
                    {
                        context.Error(ConfigPath.Index(ConfigPath.Member(at, "paths"), j), "a path glob is empty; write one like `runbooks/legacy/**` (relative to the config file)");
                    }
                }
            }
        }

        if (Baseline is { } baseline && string.IsNullOrWhiteSpace(baseline))
        {
            context.Error(ConfigPath.Member(path, "baseline"), "`baseline` is empty; name a file such as `.vigil-lint-baseline.json` (relative to the config file), or leave it out");
        }
    }

    internal static void CheckRules(IReadOnlyDictionary<string, string> rules, string path, ConfigValidationContext context)
    {
        var ids = RunbookLinter.Rules.Select(r => r.Id).ToList();
        foreach (var (rule, setting) in rules)
        {
            var at = ConfigPath.MapKey(path, rule);
            if (!ids.Contains(rule, StringComparer.Ordinal))
            {
                context.Error(at, $"unknown lint rule `{rule}`; the rules are {string.Join(", ", ids)}{Suggest.DidYouMean(rule, ids)}");
            }

            if (!Settings.Contains(setting, StringComparer.Ordinal))
            {
                context.Error(at, $"`{setting}` is not a rule setting; write one of {string.Join(", ", Settings)}");
            }
        }
    }
}

/// <summary>An entry of <c>runbooks.lint.overrides</c>: rule settings for the runbooks matching <c>paths</c>.</summary>
public sealed class RunbookLintOverrideConfig
{
    /// <summary>Path globs relative to the config file, such as <c>runbooks/legacy/**</c> (a folder ending in <c>/</c> means everything in it).</summary>
    [Mandatory]
    [NotEmpty]
    public IReadOnlyList<string> Paths { get; set; } = [];

    /// <summary>Rule id → <c>off</c>, <c>info</c>, <c>warning</c> or <c>error</c>.</summary>
    [Mandatory]
    [NotEmpty]
    public IReadOnlyDictionary<string, string> Rules { get; set; } = new Dictionary<string, string>();
}
