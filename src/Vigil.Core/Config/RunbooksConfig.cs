namespace Vigil.Core.Config;

/// <summary>The <c>runbooks:</c> section: where Markdown runbooks live and how they are governed.</summary>
public sealed class RunbooksConfig : IConfigValidatable
{
    /// <summary>Folders (or files) holding runbooks, relative to the config file.</summary>
    public IReadOnlyList<string> Paths { get; set; } = ["runbooks/"];

    /// <summary>The linter flags runbooks whose <c>last_reviewed</c> is older than this; unset means no review rule.</summary>
    [Positive]
    public TimeSpan? ReviewEvery { get; set; }

    /// <summary>Environments (<c>vigil.environment</c> values) where runs need approval by a second person.</summary>
    [OneOf("dev", "staging", "production")]
    public IReadOnlyList<string> RequireApprovalIn { get; set; } = [];

    /// <summary>Timeout of a step that does not set its own.</summary>
    [Positive]
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most output captured per step (a byte size); the rest is cut with a marker.</summary>
    [ByteSize]
    [Positive]
    public long OutputLimit { get; set; } = 1024 * 1024;

    /// <summary>Default pattern parameter values must match (a runbook may declare its own).</summary>
    [RegexPattern]
    public string ParamPattern { get; set; } = "^[A-Za-z0-9._:/@+=-]{1,256}$";

    /// <summary>Regular expressions whose matches are replaced by <c>[redacted]</c> in captured run output (secret parameter values always are).</summary>
    [RegexPattern]
    public IReadOnlyList<string> Redact { get; set; } = [];

    /// <summary>How long a run waits in <c>pending_approval</c> before it expires.</summary>
    [Positive]
    public TimeSpan ApprovalTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a run waits for a step confirmation before it is cancelled.</summary>
    [Positive]
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>After a step's timeout (or a cancel) sends SIGTERM, how long before the step's process tree is killed.</summary>
    [Positive]
    public TimeSpan KillGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runbooks the team runs through Vigil (path globs relative to the config file, like <c>runbooks/ops/**</c>): lint holds them
    /// to run-time rules, so an undeclared <c>&lt;placeholder&gt;</c> and a destroy-class command without <c>confirm=true</c> or a
    /// rollback are errors there (info and a warning elsewhere). A runbook can also say so itself
    /// (front matter <c>vigil: executable</c>), and procedures a schedule runs always count.
    /// </summary>
    public IReadOnlyList<string> Executable { get; set; } = [];

    /// <summary>The project's lint policy.</summary>
    public RunbookLintConfig Lint { get; set; } = new();

    /// <summary>Command families added to, or overriding, the built-in hazard table (which verbs read, change or destroy); see docs/runbooks.md.</summary>
    public IReadOnlyDictionary<string, CommandFamilyConfig> Commands { get; set; } = new Dictionary<string, CommandFamilyConfig>();

    /// <summary>Runbooks run on a schedule.</summary>
    public IReadOnlyList<RunbookScheduleConfig> Schedules { get; set; } = [];

    /// <summary>Named remediations that a signal's <c>remediate</c> label selects (Alertmanager or the events API can only name one of these, never define a run).</summary>
    public IReadOnlyList<RemediationConfig> Remediations { get; set; } = [];

    /// <summary>The team's own runbook templates for <c>vigil runbook new NAME --template T</c>: template name → Markdown file, relative to the config file. <c>{{name}}</c>, <c>{{service}}</c>, <c>{{date}}</c>, <c>{{id}}</c> and <c>{{title}}</c> in it are filled in (see docs/runbooks.md).</summary>
    public IReadOnlyDictionary<string, string> Templates { get; set; } = new Dictionary<string, string>();

    /// <summary>The catalog's index: a Markdown file, relative to the config file, whose first table lists the runbooks. <c>vigil runbook new</c> adds a row for each new runbook: columns headed title, runbook or name get a link, and id, service, owner, category and date columns their value.</summary>
    public string? Index { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        for (var i = 0; i < Executable.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Executable[i]))
            {
                context.Error(ConfigPath.Index(ConfigPath.Member(path, "executable"), i), "a path glob is empty; write one like `runbooks/ops/**` (relative to the config file)");
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Remediations.Count; i++)
        {
            if (Remediations[i]?.Id is { Length: > 0 } id && !seen.Add(id))
            {
                context.Error(ConfigPath.Member(ConfigPath.Index(ConfigPath.Member(path, "remediations"), i), "id"), $"remediation `{id}` is defined twice; ids must be unique");
            }
        }

        // Timers longer than this are a typo, and past ~49 days .NET timers refuse them outright.
        foreach (var (key, value, max) in new[]
        {
            ("default_timeout", DefaultTimeout, TimeSpan.FromHours(24)),
            ("approval_ttl", ApprovalTtl, TimeSpan.FromDays(7)),
            ("confirm_timeout", ConfirmTimeout, TimeSpan.FromDays(1)),
            ("kill_grace", KillGrace, TimeSpan.FromMinutes(10)),
        })
        {
            if (value > max)
            {
                context.Error(ConfigPath.Member(path, key), $"`{key}` is {Duration.Format(value)}; the most allowed is {Duration.Format(max)}");
            }
        }
    }
}
