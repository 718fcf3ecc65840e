using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Vigil.Core.Config;

namespace Vigil.Core.Runbooks;

/// <summary>
/// Checks runbooks for what makes them unsafe or stale: destructive steps with no guard, parameters no run can
/// supply, secrets in the file, changes nobody verifies, overdue reviews and broken links; and checks that the
/// runbooks the config names exist. Pure apart from looking up relative link targets on disk. It never throws on
/// content. Findings can be silenced with comments: <c>&lt;!-- vigil-lint disable RULE[,RULE…] --&gt;</c> for the
/// file, <c>disable-next-line</c> and <c>disable-line</c> for one line, and in code <c># vigil-lint disable-line RULE</c>
/// or <c># vigil-lint disable-next-line RULE</c>; <c>all</c> stands for every rule. See docs/runbook-lint.md.
/// </summary>
public static partial class RunbookLinter
{
    /// <summary>The rule that reports a console block read as output (shown, not run).</summary>
    internal const string ConsoleOutput = "console-output";

    private const string DestructiveCommand = "destructive-command";
    private const string UnresolvedPlaceholder = "unresolved-placeholder";
    private const string UndeclaredVariable = "undeclared-variable";
    private const string PlaintextSecret = "plaintext-secret";
    private const string MutationWithoutVerification = "mutation-without-verification";
    private const string StaleReview = "stale-review";
    private const string BrokenLink = "broken-link";
    private const string MissingRunbook = "missing-runbook";
    private const string Parse = "parse";

    /// <summary>How long an excerpt of the runbook in a message may be.</summary>
    private const int ExcerptLength = 80;

    /// <summary>Every rule: id, severity and a one-line summary.</summary>
    public static IReadOnlyList<LintRule> Rules { get; } =
    [
        new(DestructiveCommand, LintSeverity.Error, "A destroy-class command by the hazard table (kubectl/oc delete, helm uninstall, rm -r, DROP, FLUSHALL, terraform destroy, --force, …) in a step with no confirm=true and no rollback: an error in runbooks the team runs through Vigil (vigil: executable, runbooks.executable, a schedule), a warning elsewhere."),
        new(UnresolvedPlaceholder, LintSeverity.Error, "A <placeholder> in step code that the front matter's params do not declare: an error in runbooks the team runs through Vigil (vigil: executable, runbooks.executable, a schedule), info elsewhere."),
        new(UndeclaredVariable, LintSeverity.Warning, "A $VAR in step code that the step does not set and the front matter's params do not declare."),
        new(PlaintextSecret, LintSeverity.Error, "A password, token, key or credential written literally anywhere in the file."),
        new(MutationWithoutVerification, LintSeverity.Warning, "A procedure whose last change is not followed by a step (or command) that verifies the result."),
        new(StaleReview, LintSeverity.Warning, "last_reviewed is missing or older than review_every (the runbook's own, else runbooks.review_every)."),
        new(BrokenLink, LintSeverity.Warning, "A relative Markdown link or image whose target does not exist."),
        new(MissingRunbook, LintSeverity.Warning, "The config names a runbook (a service's runbooks, a check's runbook, a schedule) that does not exist."),
        new(Parse, LintSeverity.Warning, "Something the parser could not read (front matter, fence attributes, unclosed fences) or an unknown rule in a vigil-lint comment."),
        new(ConsoleOutput, LintSeverity.Info, "A console block with no $ prompt that reads as output: it is shown, never run."),
        .. FlowRules(),
    ];

    private static readonly Dictionary<string, LintSeverity> Severities = Rules.ToDictionary(r => r.Id, r => r.Severity, StringComparer.Ordinal);

    private static readonly string[] RuleIds = Rules.Select(r => r.Id).ToArray();

    /// <summary>
    /// Lints one runbook. <paramref name="markdown"/> is the text <paramref name="runbook"/> was parsed from. The
    /// context's <see cref="LintContext.Policy"/> decides which rules are off and at what severity, which front matter
    /// keys are ignored and where a placeholder is an error; comments in the file apply first.
    /// </summary>
    /// <returns>Findings ordered by line, then rule, each with its <see cref="LintFinding.Fingerprint"/>; each names <see cref="Runbook.Path"/> as its file.</returns>
    public static IReadOnlyList<LintFinding> Lint(Runbook runbook, string markdown, LintContext context)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(context);

        var source = new LintSource(markdown);
        var policy = context.Policy;
        var relative = policy.Relative(Path.Combine(context.BaseDirectory ?? "", runbook.Path));
        var findings = new List<LintFinding>();
        var executable = runbook.Procedures.ToDictionary(p => p.Slug, p => policy.IsExecutable(runbook, relative, p), StringComparer.Ordinal);
        findings.AddRange(Destructive(runbook, executable));
        findings.AddRange(Parameters(runbook, source, executable));
        findings.AddRange(Secrets(runbook, source));
        findings.AddRange(Unverified(runbook));
        findings.AddRange(Review(runbook, source, context));
        findings.AddRange(Links(runbook, source, context));
        findings.AddRange(Gates(runbook, context));
        findings.AddRange(Branches(runbook));
        findings.AddRange(runbook.Diagnostics
            .Where(d => d.FrontMatterKey is not { } key || !policy.IgnoredFrontMatterKeys.Contains(key))
            .Select(d => d.Rule == ConsoleOutput
                ? Finding(ConsoleOutput, runbook.Path, d.Line, d.Message,
                    "if the block is meant to run, put `$ ` before each command; if it is output, fence it as ```text")
                : Finding(Parse, runbook.Path, d.Line, d.Message, d.FrontMatterKey is { } key
                    ? $"remove `{key}`, or list it in the config's runbooks.lint.ignore_front_matter_keys if another tool reads it"
                    : "correct the front matter or fence at this line; until then the runbook is read as the message says")));

        var suppressions = LintSuppressions.Read(source, RuleIds);
        findings.AddRange(suppressions.Problems.Select(p => Finding(Parse, runbook.Path, p.Line, p.Message,
            "use a rule id from `vigil runbook lint --rules`, or `all`")));
        var kept = findings.Where(f => !suppressions.Suppresses(f))
            .Select(f => policy.SeverityOf(f.Rule, f.Severity, relative) is { } severity ? f with { Severity = severity } : null)
            .OfType<LintFinding>();
        return Sorted(Fingerprinted(Sorted(kept), relative, line => source.HeadingPath(line) + "\n" + Collapse(line >= 1 && line <= source.Lines.Length ? source.Lines[line - 1] : "")));
    }

    /// <summary>
    /// Applies <paramref name="policy"/> to findings made outside <see cref="Lint"/> (config references, unreadable
    /// files): rule settings by the file's path, and fingerprints from the rule, the file relative to the policy's folder
    /// and the message (see <see cref="LintFinding.Fingerprint"/>). Findings that already have a fingerprint pass as they are.
    /// A relative file is relative to <paramref name="baseDirectory"/> (null: the process's current folder).
    /// </summary>
    public static IReadOnlyList<LintFinding> ApplyPolicy(IEnumerable<LintFinding> findings, LintPolicy policy, string? baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(policy);
        var relative = new Dictionary<string, string>(StringComparer.Ordinal);
        string Relative(string file) => relative.TryGetValue(file, out var r) ? r : relative[file] = policy.Relative(Path.Combine(baseDirectory ?? "", file));
        var kept = findings
            .Select(f => f.Fingerprint.Length > 0 ? f
                : policy.SeverityOf(f.Rule, f.Severity, Relative(f.File)) is { } severity ? f with { Severity = severity } : null)
            .OfType<LintFinding>();
        return Fingerprinted(kept, f => Relative(f.File), _ => "").ToList();
    }

    private static IEnumerable<LintFinding> Fingerprinted(IEnumerable<LintFinding> findings, string relative, Func<int, string> anchor) =>
        Fingerprinted(findings, _ => relative, anchor);

    private static IEnumerable<LintFinding> Fingerprinted(IEnumerable<LintFinding> findings, Func<LintFinding, string> relative, Func<int, string> anchor)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in findings)
        {
            if (f.Fingerprint.Length > 0)
            {
                yield return f;
                continue;
            }

            var key = string.Join('\n', f.Rule, relative(f), anchor(f.Line), Digits().Replace(f.Message, "#"));
            var n = seen.TryGetValue(key, out var count) ? count : 0;
            seen[key] = n + 1;
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key + "\n" + n.ToString(CultureInfo.InvariantCulture)));
            yield return f with { Fingerprint = Convert.ToHexStringLower(hash.AsSpan(0, 16)) };
        }
    }

    private static string Collapse(string text) => Whitespace().Replace(text.Trim(), " ");

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>
    /// Finds runbooks the config names that <paramref name="resolves"/> does not know: entries of a service's
    /// <c>runbooks</c>, a check's <c>runbook</c> and a runbook schedule's <c>runbook</c>. Findings point at the
    /// config line when the config was loaded from a file, else at line 1 of <paramref name="configPath"/>.
    /// </summary>
    /// <param name="resolves">Whether a reference (a file path relative to the config, or a runbook id) names a runbook.</param>
    public static IReadOnlyList<LintFinding> LintReferences(VigilConfig config, string configPath, Func<string, bool> resolves)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(configPath);
        ArgumentNullException.ThrowIfNull(resolves);

        var findings = new List<LintFinding>();
        void Check(string path, string? reference, string owner)
        {
            if (reference is null || resolves(reference))
            {
                return;
            }

            var at = config.Source?.Find(path);
            findings.Add(Finding(MissingRunbook, at?.File ?? configPath, at?.Line ?? 1,
                $"{owner} names runbook `{reference}`, which does not exist",
                "create it (a path is relative to the config file's folder), or name an existing runbook file or front-matter `id`"));
        }

        for (var i = 0; i < config.Services.Count; i++)
        {
            if (config.Services[i] is not { } service)
            {
                continue;
            }

            var servicePath = ConfigPath.Index("services", i);
            for (var j = 0; j < service.Runbooks.Count; j++)
            {
                Check(ConfigPath.Index(ConfigPath.Member(servicePath, "runbooks"), j), service.Runbooks[j], $"service `{service.Id}`");
            }

            for (var j = 0; j < service.Checks.Count; j++)
            {
                if (service.Checks[j] is { } check)
                {
                    Check(ConfigPath.Member(ConfigPath.Index(ConfigPath.Member(servicePath, "checks"), j), "runbook"), check.Runbook, $"check `{service.Id}/{check.Id}`");
                }
            }
        }

        for (var i = 0; i < config.Runbooks.Schedules.Count; i++)
        {
            if (config.Runbooks.Schedules[i] is { } schedule)
            {
                Check(ConfigPath.Member(ConfigPath.Index("runbooks.schedules", i), "runbook"), schedule.Runbook, $"runbook schedule `{schedule.Id}`");
            }
        }

        return Sorted(findings);
    }

    // Run-time hazards are errors where the team runs the procedure through Vigil (vigil: executable, runbooks.executable,
    // a schedule) and this milder severity elsewhere, where a person reads and runs the runbook by hand. One rule for both.
    private static readonly Dictionary<string, LintSeverity> OutsideExecutable = new(StringComparer.Ordinal)
    {
        [UnresolvedPlaceholder] = LintSeverity.Info,
        [DestructiveCommand] = LintSeverity.Warning,
    };

    private const string ExecutableHint = "(to hold this runbook to run-time rules, mark it `vigil: executable` in its front matter or list it in runbooks.executable)";

    /// <summary>A run-time hazard at its severity for where it is: as is when <paramref name="executable"/>, else milder (<see cref="OutsideExecutable"/>).</summary>
    private static LintFinding ByRunContext(LintFinding finding, bool executable) =>
        executable ? finding : finding with { Severity = OutsideExecutable[finding.Rule], Fix = finding.Fix + "\n" + ExecutableHint };

    private static IEnumerable<LintFinding> Destructive(Runbook runbook, IReadOnlyDictionary<string, bool> executable)
    {
        foreach (var procedure in runbook.Procedures.Where(p => p.Rollback.Count == 0))
        {
            foreach (var step in procedure.Steps.Where(s => !s.Confirm))
            {
                foreach (var hazard in RunbookHazards.Destructive(step.Code, step.Commands, step.Language))
                {
                    yield return ByRunContext(Finding(DestructiveCommand, runbook.Path, step.LineOf(hazard.CodeLine),
                        $"step {step.Index} of \"{Excerpt(procedure.Title)}\" runs `{hazard.Command}` with no confirmation and no rollback: `{Excerpt(hazard.Text)}`",
                        $"add `confirm=true` to the fence's attributes (```{step.Language} {{confirm=true}}) so a run asks first, or add a \"Rollback\" section to the procedure"),
                        executable.GetValueOrDefault(procedure.Slug));
                }
            }
        }
    }

    private static IEnumerable<LintFinding> Parameters(Runbook runbook, LintSource source, IReadOnlyDictionary<string, bool> executable)
    {
        foreach (var parameter in runbook.Parameters.Where(p => p.Declaration is null && p.Uses.Count > 0))
        {
            var line = parameter.Uses.Min(u => u.Line);
            var declare = DeclarationSnippet(parameter.Name, source.HasFrontMatter);
            if (parameter.Kind == RunbookParameterKind.Placeholder)
            {
                // In a runbook for people to read, filling in <namespace> is the reader's job, and a run without a value is refused.
                var runs = parameter.Uses.Any(u => executable.GetValueOrDefault(u.Procedure));
                yield return ByRunContext(Finding(UnresolvedPlaceholder, runbook.Path, line, runs
                    ? $"placeholder `<{parameter.Name}>` is not declared in the front matter's `params`, so runs cannot prompt for it, default it or check it"
                    : $"placeholder `<{parameter.Name}>` is for the reader to fill in; a run through Vigil is refused until it gets --param {parameter.Name}=VALUE",
                    declare), runs);
            }
            else if (parameter.Kind == RunbookParameterKind.Variable)
            {
                yield return Finding(UndeclaredVariable, runbook.Path, line,
                    $"`${parameter.Name}` is neither set by the step nor declared in the front matter's `params`",
                    declare + $"\n(or set it in the step before use: {parameter.Name}=…)");
            }
        }
    }

    private static string DeclarationSnippet(string name, bool hasFrontMatter)
    {
        var entry = $"params:\n  - name: {name}\n    description: what {name} is";
        return hasFrontMatter
            ? $"declare it in the front matter:\n{entry}"
            : $"declare it in front matter at the top of the file:\n---\n{entry}\n---";
    }

    private static IEnumerable<LintFinding> Secrets(Runbook runbook, LintSource source)
    {
        const string Mask = "***";
        for (var i = 0; i < source.Lines.Length; i++)
        {
            var secrets = SecretPatterns.Find(source.Lines[i]);
            if (secrets.Count == 0)
            {
                continue;
            }

            // Redacted once per line: a line may hold thousands of secrets.
            var redacted = SecretPatterns.Redact(source.Lines[i], secrets, Mask);
            var shift = 0;
            foreach (var secret in secrets)
            {
                var at = secret.Index + shift;
                shift += Mask.Length - secret.Length;
                yield return Finding(PlaintextSecret, runbook.Path, i + 1,
                    $"{secret.Kind} written literally: `{Window(redacted, at, Mask.Length)}`",
                    "refer to it instead ($NAME from the environment, a <placeholder>, or a front-matter param with `secret: true`), and rotate it: it is in the file's history");
            }
        }
    }

    private static IEnumerable<LintFinding> Unverified(Runbook runbook)
    {
        foreach (var procedure in runbook.Procedures)
        {
            // A drill's injection is verified by Vigil's own detection, and its recovery by the checks being ok again.
            if (runbook.Metadata.Drill is not null && procedure.Slug is "inject" or "recover")
            {
                continue;
            }

            var last = -1;
            for (var i = procedure.Steps.Count - 1; i >= 0 && last < 0; i--)
            {
                last = procedure.Steps[i].Mutating ? i : -1;
            }

            if (last < 0)
            {
                continue;
            }

            // A change may be verified later in its own step ("restart; curl -f …/health") or by any later step.
            var step = procedure.Steps[last];
            var changeLine = RunbookVerification.LastChangeLine(step);
            if ((changeLine >= 0 && RunbookVerification.Verifies(step, changeLine + 1))
                || procedure.Steps.Skip(last + 1).Any(s => RunbookVerification.Verifies(s)))
            {
                continue;
            }

            var what = changeLine >= 0 ? $"`{Excerpt(step.Code.Split('\n')[changeLine])}`" : "a step marked mutating=true";
            yield return Finding(MutationWithoutVerification, runbook.Path, changeLine >= 0 ? step.LineOf(changeLine) : step.Line,
                $"\"{Excerpt(procedure.Title)}\" ends its changes with {what} (step {step.Index}) and nothing after it verifies the result",
                "add a step after it that checks the outcome, such as `kubectl rollout status …`, `curl -f …/health` or `systemctl is-active …` (or a step named verify)");
        }
    }

    private static IEnumerable<LintFinding> Review(Runbook runbook, LintSource source, LintContext context)
    {
        var every = context.ReviewEvery;
        var rule = "runbooks.review_every in the config";
        if (runbook.Metadata.ReviewEvery is { } text)
        {
            if (Duration.TryParse(text, out var own, out var error) && own > TimeSpan.Zero)
            {
                (every, rule) = (own, "its review_every");
            }
            else
            {
                yield return Finding(Parse, runbook.Path, source.FrontMatterLine("review_every") ?? 1,
                    $"review_every `{Excerpt(text)}` is not a positive duration: {error ?? "it is zero"}",
                    "write a duration such as 90d or 12w");
            }
        }

        if (every is not { } period || period <= TimeSpan.Zero)
        {
            yield break;
        }

        var today = context.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var fix = $"review the runbook, then set `last_reviewed: {today}` in its front matter";
        if (runbook.Metadata.LastReviewed is not { } reviewed)
        {
            yield return Finding(StaleReview, runbook.Path, source.FrontMatterLine("last_reviewed") ?? 1,
                $"the runbook has no last_reviewed date, and runbooks are due for review every {Duration.Format(period)} ({rule})", fix);
        }
        else if (context.Today.DayNumber - reviewed.DayNumber > period.TotalDays)
        {
            yield return Finding(StaleReview, runbook.Path, source.FrontMatterLine("last_reviewed") ?? 1,
                $"last reviewed {reviewed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, {context.Today.DayNumber - reviewed.DayNumber} days ago; runbooks are due for review every {Duration.Format(period)} ({rule})", fix);
        }
    }

    private static IEnumerable<LintFinding> Links(Runbook runbook, LintSource source, LintContext context)
    {
        var folder = Path.GetDirectoryName(Path.Combine(context.BaseDirectory ?? "", runbook.Path)) ?? "";
        var definitions = new HashSet<LinkReferenceDefinition>(ReferenceEqualityComparer.Instance);
        foreach (var link in source.Document.Descendants<LinkInline>())
        {
            // A reference link's target is written in its definition ("[ref]: path"): report it there, once.
            var definition = link.Reference;
            if (LocalTarget(link.Url) is not { } target || (definition is not null && !definitions.Add(definition)))
            {
                continue;
            }

            var full = Path.Combine(folder, target);
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                yield return Finding(BrokenLink, runbook.Path, definition is null ? source.LineOf(link) : definition.Line + 1,
                    $"{(link.IsImage ? "image" : "link")} target `{Excerpt(link.Url!)}` does not exist",
                    "correct the path (it is relative to this runbook's folder) or add the file");
            }
        }
    }

    // The file a relative link points at (anchor and query dropped, %-escapes decoded), or null for URLs with a
    // scheme (http:, mailto:), absolute paths and same-page anchors.
    private static string? LocalTarget(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || url[0] is '#' or '/' or '\\' || HasScheme(url))
        {
            return null;
        }

        var end = url.IndexOfAny(['#', '?']);
        var path = Uri.UnescapeDataString(end < 0 ? url : url[..end]);
        return path.Length == 0 ? null : path;
    }

    private static bool HasScheme(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && char.IsAsciiLetter(url[0]) && url.AsSpan(0, colon).IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") < 0;
    }

    private static LintFinding Finding(string rule, string file, int line, string message, string fix) =>
        new(rule, Severities[rule], file, line, message, fix);

    private static IReadOnlyList<LintFinding> Sorted(IEnumerable<LintFinding> findings) =>
        findings.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Rule, StringComparer.Ordinal).ToList();

    // Runbook text for a message: secrets masked, shortened to one readable excerpt.
    private static string Excerpt(string text)
    {
        var shown = SecretPatterns.Redact(text).Trim();
        return shown.Length <= ExcerptLength ? shown : shown[..(ExcerptLength - 1)] + "…";
    }

    // About ExcerptLength characters of (already redacted) text around [at, at + length).
    private static string Window(string text, int at, int length)
    {
        var start = Math.Max(0, at - (ExcerptLength / 2));
        var end = Math.Min(text.Length, at + length + (ExcerptLength / 2));
        return (start > 0 ? "…" : "") + text[start..end].Trim() + (end < text.Length ? "…" : "");
    }
}
