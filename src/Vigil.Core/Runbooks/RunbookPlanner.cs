using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Vigil.Core.Config;

namespace Vigil.Core.Runbooks;

/// <summary>
/// Resolves one procedure of a parsed runbook into a <see cref="RunbookPlan"/>: chooses the procedure, resolves and
/// checks parameter values, and rewrites each step so that values reach bash only through the environment.
/// Pure: it runs nothing, and bad input becomes <see cref="RunbookPlan.Problems"/>, never an exception.
/// </summary>
public static class RunbookPlanner
{
    /// <summary>What a secret parameter's value looks like in <see cref="RunbookPlan.Shown"/>.</summary>
    internal const string SecretMask = "••••••";

    private const int ShownValueLength = 80;

    // Patterns come from runbook authors; a catastrophic one must not hang a plan.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Plans <paramref name="procedure"/> (a slug or heading text; null picks the runbook's only procedure) with the
    /// parameter <paramref name="values"/> given by name. A parameter the procedure uses takes its given value, else
    /// its declared default; each value must fully match the declared pattern, else
    /// <see cref="RunbookPlanOptions.DefaultPattern"/>.
    /// </summary>
    public static RunbookPlan Plan(Runbook runbook, string? procedure, IReadOnlyDictionary<string, string> values, RunbookPlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(options);

        var problems = new List<PlanProblem>();
        var chosen = Choose(runbook, procedure, problems);

        var known = runbook.Parameters.Select(p => p.Name).ToList();
        foreach (var name in values.Keys.Where(k => runbook.FindParameter(k) is null).Order(StringComparer.Ordinal))
        {
            problems.Add(new(name, known.Count == 0
                ? $"unknown parameter {name}: runbook {runbook.Path} takes no parameters; drop --param {name}"
                : $"unknown parameter {name}: runbook {runbook.Path} takes {string.Join(", ", known)}{Suggest.DidYouMean(name, known)}"));
        }

        // A branch's steps may run too, so the parameters they use are needed as much as the chosen procedure's.
        var reachable = chosen is null ? [] : RunbookBranches.Reachable(runbook, chosen.Slug).ToHashSet(StringComparer.Ordinal);
        var needed = runbook.Parameters.Where(p => p.Uses.Any(u => reachable.Contains(u.Procedure))).ToList();
        var checkedValues = new ParameterValues(options, problems);
        foreach (var parameter in needed.Concat(runbook.Parameters.Where(p => values.ContainsKey(p.Name) && !needed.Contains(p))))
        {
            var use = chosen is null ? null : parameter.Uses.FirstOrDefault(u => u.Procedure == chosen.Slug) ?? parameter.Uses.FirstOrDefault(u => reachable.Contains(u.Procedure));
            checkedValues.Add(parameter, values.TryGetValue(parameter.Name, out var value) ? value : null, use);
        }

        IReadOnlyList<PlannedStep> Steps(RunbookProcedure? procedure, bool inRollback) => procedure is null
            ? []
            : (inRollback ? procedure.Rollback : procedure.Steps).Select(s => PlanStep(runbook, procedure, s, inRollback, options)).ToList();

        if (chosen is not null)
        {
            problems.AddRange(FlowPlanning.Problems(runbook, chosen));
        }

        var branches = chosen is null
            ? []
            : RunbookBranches.Reachable(runbook, chosen.Slug).Skip(1).Select(slug => runbook.Procedures.First(p => p.Slug == slug))
                .Select(p => new PlannedBranch(p.Slug, p.Title,
                    Steps(p, inRollback: false).Select(s => s with { InBranch = true }).ToList(),
                    Steps(p, inRollback: true).Select(s => s with { InBranch = true }).ToList())).ToList();
        return new RunbookPlan(
            runbook, chosen, Steps(chosen, inRollback: false), Steps(chosen, inRollback: true),
            checkedValues.Environment, checkedValues.Shown, checkedValues.SecretValues, problems)
        {
            Unfilled = checkedValues.Unfilled,
            Branches = branches,
        };
    }

    /// <summary>
    /// <paramref name="code"/> with every reference to one of <paramref name="parameters"/> turned into an environment
    /// reference, so that no value is ever part of the script. A <c>&lt;name&gt;</c> placeholder becomes a quoted reference
    /// that fits the quoting around it: <c>"${VIGIL_PARAM_name}"</c> outside quotes, <c>${VIGIL_PARAM_name}</c> inside
    /// double quotes or a here-document, <c>'"${VIGIL_PARAM_name}"'</c> inside single quotes (close, insert, reopen).
    /// A <c>$NAME</c> or <c>${NAME…}</c> becomes <c>${VIGIL_PARAM_NAME}</c> or <c>${VIGIL_PARAM_NAME…}</c> and keeps the
    /// author's quoting. Comments, escaped text, single-quoted <c>$NAME</c>s, quoted here-documents and variables the
    /// code assigns itself are left alone (exactly the references <see cref="RunbookParser"/> records as uses).
    /// </summary>
    /// <remarks>
    /// The value still reaches commands as data, so a command that evaluates its arguments (<c>eval</c>, <c>bash -c</c>,
    /// <c>ssh host …</c>, bash arithmetic such as <c>$(( … ))</c> or <c>[[ … -eq … ]]</c>) can still interpret it; the
    /// parameter pattern is the guard there.
    /// </remarks>
    public static string Rewrite(string code, IReadOnlyCollection<RunbookParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(parameters);

        var names = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var script = new StringBuilder(code.Length + 64);
        var copied = 0;
        foreach (var reference in RunbookParser.FindReferences(code))
        {
            if (!names.Contains(reference.Name) || reference.Start < copied)
            {
                continue;
            }

            script.Append(code, copied, reference.Start - copied).Append(EnvReference(code, reference));
            copied = reference.Start + reference.Length;
        }

        return script.Append(code, copied, code.Length - copied).ToString();
    }

    private static string EnvReference(string code, ParameterReference reference)
    {
        var env = RunbookParser.EnvVarName(reference.Name);
        if (reference.Kind == RunbookParameterKind.Variable)
        {
            // "${VER:-1}" keeps its operator and closing brace; "$VER" gets braces so a following letter cannot join the name.
            return code[reference.Start + 1] == '{' ? "${" + env : "${" + env + "}";
        }

        return reference.Context switch
        {
            ShellContext.DoubleQuoted or ShellContext.Heredoc => "${" + env + "}",
            ShellContext.SingleQuoted => "'\"${" + env + "}\"'",
            ShellContext.AnsiCQuoted => "'\"${" + env + "}\"$'",
            _ => "\"${" + env + "}\"",
        };
    }

    private static RunbookProcedure? Choose(Runbook runbook, string? procedure, List<PlanProblem> problems)
    {
        var slugs = runbook.Procedures.Select(p => p.Slug).ToList();
        if (procedure is null)
        {
            if (slugs.Count == 1)
            {
                return runbook.Procedures[0];
            }

            problems.Add(new(null, slugs.Count == 0
                ? $"runbook {runbook.Path} has no procedures (no heading has a bash, sh, shell or console block), so there is nothing to run"
                : $"runbook {runbook.Path} has {slugs.Count} procedures; choose one of: {string.Join(", ", slugs)}"));
            return null;
        }

        if (runbook.FindProcedure(procedure) is { } found)
        {
            return found;
        }

        // A near-miss of a slug, or of a heading (suggested by its slug, which is how procedures are listed).
        var title = Suggest.Closest(procedure, runbook.Procedures.Select(p => p.Title));
        var suggestion = Suggest.Closest(procedure, slugs) ?? runbook.Procedures.FirstOrDefault(p => p.Title == title)?.Slug;
        problems.Add(new(null, slugs.Count == 0
            ? $"no procedure '{procedure}' in runbook {runbook.Path}: it has no procedures"
            : $"no procedure '{procedure}' in runbook {runbook.Path}{(suggestion is null ? "" : $"; did you mean `{suggestion}`?")}; choose one of: {string.Join(", ", slugs)}"));
        return null;
    }

    private static PlannedStep PlanStep(Runbook runbook, RunbookProcedure procedure, RunbookStep step, bool inRollback, RunbookPlanOptions options)
    {
        var used = runbook.Parameters
            .Where(p => p.Uses.Any(u => u.Procedure == procedure.Slug && u.Step == step.Index && u.InRollback == inRollback))
            .Select(p => p.Name)
            .ToList();
        return new PlannedStep(
            step.Index, inRollback, step.Name, step.Description, step.Line, step.Code,
            StepShells.IsShell(step.Language) ? Rewrite(step.Code, runbook.Parameters) : step.Code,
            step.Timeout ?? options.DefaultTimeout, step.Mutating, step.Confirm, used)
        {
            Output = step.Output,
            Gate = HealthGates.TryRead(step.Attributes, out var gate, out _) ? gate : null,
            Procedure = procedure.Slug,
            Language = step.Language,
            OnFail = !inRollback && RunbookBranches.TryReadTarget(step.OnFail, out var anchor, out _) && anchor is not null ? RunbookBranches.Resolve(runbook, anchor)?.Slug : null,
            When = StepConditions.TryRead(step.Attributes, out var when, out _) ? when : null,
        };
    }

    /// <summary>Resolves and checks values one parameter at a time, collecting what the plan carries.</summary>
    private sealed class ParameterValues(RunbookPlanOptions options, List<PlanProblem> problems)
    {
        private readonly Dictionary<string, (Regex? Regex, string? Error)> _patterns = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _envOwners = new(StringComparer.Ordinal);

        public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Shown { get; } = new(StringComparer.Ordinal);
        public List<string> SecretValues { get; } = [];
        public List<string> Unfilled { get; } = [];

        public void Add(RunbookParameter parameter, string? given, RunbookParameterUse? use)
        {
            var name = parameter.Name;
            var location = use is null ? null : $"used in {(use.InRollback ? "rollback step" : "step")} {use.Step}, line {use.Line}";
            var declaration = parameter.Declaration;
            var value = given ?? declaration?.Default;
            if (value is null)
            {
                var about = string.Join("; ", new[] { declaration?.Description?.Trim(), location }.Where(s => !string.IsNullOrEmpty(s)));
                problems.Add(new(name, $"missing parameter {name} ({about}): pass --param {name}=VALUE"));
                Unfilled.Add(name);
                return;
            }

            var secret = declaration?.Secret == true;
            if (secret && value.Length > 0 && !SecretValues.Contains(value))
            {
                SecretValues.Add(value);
            }

            var notes = string.Join("; ", new[] { secret ? "not shown" : null, location }.OfType<string>());
            var what = $"the {(given is null ? "default value" : "value")}{(secret ? "" : " " + Describe(value))} of "
                + $"{(secret ? "secret parameter" : "parameter")} {name}{(notes.Length > 0 ? $" ({notes})" : "")}";
            string Fix(string requirement) =>
                given is null ? $"fix its default in the runbook's front matter or pass --param {name}=VALUE" : $"pass --param {name}=VALUE {requirement}";
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                problems.Add(new(name, $"{what} contains a NUL character, which no process environment can carry; {Fix("without one")}"));
                return;
            }

            if (!Matches(parameter, value, what, Fix("with a value that matches")))
            {
                return;
            }

            if (_envOwners.TryGetValue(parameter.EnvVar, out var other))
            {
                problems.Add(new(name, $"parameters {other} and {name} would both travel as {parameter.EnvVar}; rename one of them in the runbook"));
                return;
            }

            _envOwners[parameter.EnvVar] = name;
            Environment[parameter.EnvVar] = value;
            Shown[name] = secret ? SecretMask : value;
        }

        private bool Matches(RunbookParameter parameter, string value, string what, string fix)
        {
            var declared = parameter.Declaration?.Pattern;
            var pattern = declared ?? options.DefaultPattern;
            var source = declared is null ? "the default pattern" : "the pattern declared in front matter";
            var (regex, error) = Compile(pattern);
            if (regex is null)
            {
                problems.Add(new(parameter.Name, declared is null
                    ? $"the default parameter pattern '{pattern}' is not a valid regular expression ({error}); fix runbooks.param_pattern in the config"
                    : $"parameter {parameter.Name} declares a pattern '{pattern}' that is not a valid regular expression ({error}); fix it in the runbook's front matter"));
                return false;
            }

            try
            {
                if (regex.IsMatch(value))
                {
                    return true;
                }

                problems.Add(new(parameter.Name, $"{what} does not match {source} {pattern}; {fix}"));
            }
            catch (RegexMatchTimeoutException)
            {
                problems.Add(new(parameter.Name, $"checking {what} against {source} {pattern} took longer than {MatchTimeout.TotalMilliseconds:0} ms; simplify the pattern"));
            }

            return false;
        }

        // \A and \z rather than ^ and $: "$" also matches before a trailing newline, which would let "ok\n" through.
        private (Regex? Regex, string? Error) Compile(string pattern)
        {
            if (!_patterns.TryGetValue(pattern, out var compiled))
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout); // reports errors against the pattern as written
                    compiled = (new Regex($@"\A(?:{pattern})\z", RegexOptions.CultureInvariant, MatchTimeout), null);
                }
                catch (ArgumentException ex)
                {
                    compiled = (null, ex.Message);
                }

                _patterns[pattern] = compiled;
            }

            return compiled;
        }
    }

    // A value as it appears in a problem: quoted, control characters escaped, long values cut.
    private static string Describe(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value.Length > ShownValueLength ? value[..ShownValueLength] : value)
        {
            sb.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '"' => "\\\"",
                '\\' => @"\\",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            });
        }

        return sb.Append(value.Length > ShownValueLength ? "…\"" : "\"").ToString();
    }
}
