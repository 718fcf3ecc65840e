using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Vigil.Core.Config;
using Vigil.Core.Incidents;
using Vigil.Core.Operations;
using Vigil.Core.Runbooks;
using Vigil.Server.Api;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil runbook list|show|lint|plan|run|runs|log|approve|cancel|new</c> and <c>vigil drill run|list</c>.
/// <c>show</c>, <c>lint</c>, <c>plan</c> and <c>new</c> work on files without a server.
/// </summary>
internal static class RunbookCommands
{
    public static IEnumerable<Command> Build(CliEnvironment env)
    {
        var runbook = new Command("runbook", "Markdown runbooks: catalog, lint, dry-run plan, safe execution, approvals.");
        runbook.Add(List(env));
        runbook.Add(Show(env));
        runbook.Add(Lint(env));
        runbook.Add(Plan(env));
        runbook.Add(Run(env, drill: false));
        runbook.Add(Runs(env, drills: false));
        runbook.Add(Log(env));
        runbook.Add(Follow(env));
        runbook.Add(RunAction(env, "approve", "Approve a run waiting for approval (you must not be the person who requested it)."));
        runbook.Add(RunAction(env, "cancel", "Cancel a run: the running step's processes are stopped; no rollback runs."));
        runbook.Add(RunbookScaffold.Build(env));

        var drill = new Command("drill", "Drills: inject a fault and time Vigil's detection and the recovery against the RTO, with paging held; or time one recovery procedure.");
        drill.Add(Run(env, drill: true));
        drill.Add(Runs(env, drills: true));
        return [runbook, drill];
    }

    private static readonly Argument<string> RunbookArgument = new("runbook") { Description = "A runbook file, or a catalog id (from the config's runbooks.paths)" };

    private static Option<string?> ProcedureOption() => new("--procedure", "-p") { Description = "Procedure (heading text or slug); optional when the runbook has one" };

    private static Option<string[]> ParamOption() => new("--param") { Description = "A parameter value, NAME=VALUE (repeat it); names as written, like backup-id", AllowMultipleArgumentsPerToken = false };

    private static Command List(CliEnvironment env)
    {
        var list = new Command("list", "The runbook catalog: id, title, category, services, procedures, steps, last review, last run.");
        list.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var catalog = await api.GetAsync<RunbookCatalogView>("api/v1/runbooks", ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(catalog);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("ID", "TITLE", "CATEGORY", "SERVICES", "PROCS", "STEPS", "REVIEWED", "LAST RUN");
            foreach (var r in catalog.Runbooks)
            {
                table.AddRow(Markup.Escape(r.Id), Markup.Escape(r.Title), Markup.Escape(r.Category ?? "-"), Markup.Escape(string.Join(", ", r.Services)),
                    r.Procedures.ToString(CultureInfo.InvariantCulture), r.Steps.ToString(CultureInfo.InvariantCulture),
                    r.LastReviewed?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
                    r.LastRunId is { } id ? $"#{id} {Status(r.LastRunStatus!.Value)} {CliContext.Ago(r.LastRunAt)}" : "-");
            }

            ctx.Console.Write(table);
            foreach (var problem in catalog.Problems)
            {
                ctx.Console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(problem)}");
            }

            return ExitCodes.Ok;
        });
        return list;
    }

    private static Command Show(CliEnvironment env)
    {
        var procedure = ProcedureOption();
        var show = new Command("show", "A runbook's parameters, procedures and steps (works on a file without a server).") { RunbookArgument, procedure, ConfigCommands.ConfigFile };
        show.SetHandler(env, (ctx, _) =>
        {
            var entry = Resolve(ctx, ctx.Parse.GetValue(RunbookArgument)!);
            var rb = entry.Runbook;
            var only = ctx.Parse.GetValue(procedure);
            var procedures = rb.Procedures;
            if (only is not null)
            {
                procedures = rb.FindProcedure(only) is { } p ? [p]
                    : throw new CliException(ExitCodes.Usage, $"{entry.Path} has no procedure '{only}'; procedures: {string.Join(", ", rb.Procedures.Select(p => p.Slug))}");
            }

            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new { id = entry.Id, path = entry.Path, title = entry.Title, services = entry.Services, metadata = rb.Metadata, procedures, parameters = rb.Parameters, diagnostics = rb.Diagnostics });
                return Task.FromResult(ExitCodes.Ok);
            }

            var c = ctx.Console;
            c.MarkupLine($"[bold]{Markup.Escape(entry.Title)}[/]  ({Markup.Escape(entry.Id)}, {Markup.Escape(entry.Path)})");
            var meta = rb.Metadata;
            c.MarkupLine(Markup.Escape($"service {entry.Service ?? "-"}  owner {meta.Owner ?? "-"}  category {meta.Category ?? "-"}  last reviewed {meta.LastReviewed?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "never"}"));
            if (rb.Parameters.Count > 0)
            {
                var table = new Table().Title("parameters").AddColumns("NAME", "PASS AS", "KIND", "DEFAULT", "SECRET", "DESCRIPTION");
                foreach (var p in rb.Parameters)
                {
                    table.AddRow(Markup.Escape(p.Name), Markup.Escape($"--param {p.Name}=…  (${p.EnvVar})"), p.Kind.ToString().ToLowerInvariant(),
                        Markup.Escape(p.Declaration?.Default ?? "-"), p.Declaration?.Secret == true ? "yes" : "", Markup.Escape(p.Declaration?.Description ?? ""));
                }

                c.Write(table);
            }

            foreach (var p in procedures)
            {
                c.WriteLine();
                var group = p.Group.Count > 0 ? string.Join(" › ", p.Group) + " › " : "";
                c.MarkupLine($"[bold]{Markup.Escape(group + p.Title)}[/]  [grey](--procedure {Markup.Escape(p.Slug)}, line {p.Line})[/]");
                foreach (var (step, rollback) in p.Steps.Select(s => (s, false)).Concat(p.Rollback.Select(s => (s, true))))
                {
                    c.MarkupLine($"  {(rollback ? "rollback " : "")}{step.Index}. {Markup.Escape(step.Name ?? step.Description?.Split('\n')[0] ?? "")}{Flags(step.Mutating, step.Confirm, step.Timeout)}");
                    var lines = step.Code.Split('\n');
                    var shown = only is null ? lines.Where(l => !l.TrimStart().StartsWith('#')).ToList() : lines.ToList();
                    foreach (var line in only is null ? shown.Take(2) : shown)
                    {
                        c.MarkupLine($"     [grey]{Markup.Escape(line)}[/]");
                    }

                    if (only is null && shown.Count > 2)
                    {
                        // Cut short: say so, and how to see the rest.
                        c.MarkupLine($"     [grey]… {shown.Count - 2} more line(s); vigil runbook show {Markup.Escape(entry.Path)} -p {Markup.Escape(p.Slug)}[/]");
                    }
                }

                if (p.Steps.Count == 0)
                {
                    c.MarkupLine("  [yellow](no steps: this procedure has no fenced bash code blocks)[/]");
                }
            }

            if (procedures.Count == 0)
            {
                c.MarkupLine("[yellow]No procedures with steps: the runbook has no fenced bash code blocks to run.[/]");
            }

            foreach (var d in rb.Diagnostics)
            {
                c.MarkupLine($"[yellow]warning:[/] {Markup.Escape($"{entry.Path}:{d.Line}: {d.Message}")}");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return show;
    }

    private static Command Lint(CliEnvironment env)
    {
        var paths = new Argument<string[]>("paths") { Description = "Runbook files or folders (default: the config's runbooks.paths, plus config references)", Arity = ArgumentArity.ZeroOrMore };
        var rules = new Option<bool>("--rules") { Description = "List the rules and exit" };
        var baselineOption = new Option<string?>("--baseline") { Description = "Baseline file: report only findings it does not hold (default: the config's runbooks.lint.baseline)" };
        var writeBaseline = new Option<bool>("--write-baseline") { Description = "Write every current finding to the baseline file and exit 0; later runs report only new ones" };
        var lint = new Command("lint", "Check runbooks for hazards: exit 1 when any error-level finding (works without a server, e.g. in CI; -o sarif for code hosts).")
        {
            paths, rules, baselineOption, writeBaseline, ConfigCommands.ConfigFile,
        };
        lint.SetHandler(env, (ctx, _) =>
        {
            var format = ctx.Format;
            if (ctx.Parse.GetValue(rules))
            {
                if (format == OutputFormat.Json)
                {
                    ctx.WriteJson(RunbookLinter.Rules);
                }
                else
                {
                    foreach (var r in RunbookLinter.Rules)
                    {
                        ctx.Line($"{r.Id,-32} {LintFinding.Name(r.Severity),-8} {r.Summary}");
                    }
                }

                return Task.FromResult(ExitCodes.Ok);
            }

            var findings = new List<LintFinding>();
            var given = ctx.Parse.GetValue(paths) ?? [];
            var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
            IReadOnlyList<CatalogEntry> entries;
            LintContext context;
            VigilConfig? config;
            if (given.Length == 0)
            {
                var (result, configPath) = ConfigCommands.LoadOrThrow(ctx);
                config = result.Config!;
                var catalog = RunbookCatalog.Load(config);
                entries = catalog.Entries;
                context = new LintContext(today, config.Runbooks.ReviewEvery, config.BaseDirectory);
                findings.AddRange(catalog.Problems.Select(p => new LintFinding("parse", LintSeverity.Warning, p.Path, 1, p.Message, "fix the file or the path in runbooks.paths")));
                findings.AddRange(RunbookLinter.LintReferences(config, configPath, catalog.Resolves));
            }
            else
            {
                config = TryLoadConfig(ctx);
                var commands = config is null ? null : CommandTable.For(config.Runbooks);
                entries = ExpandPaths(ctx, given).Select(path => RunbookCatalog.ReadFile(ctx.Env.Resolve(path), path, out var error, commands)
                    ?? throw new CliException(ExitCodes.Usage, error!)).ToList();
                context = new LintContext(today, config?.Runbooks.ReviewEvery, ctx.Env.WorkingDirectory);
            }

            var policy = config is null ? LintPolicy.None : LintPolicy.From(config.Runbooks, config.BaseDirectory);
            context = context with { Policy = policy, CheckKeys = config is null ? null : LintContext.ChecksOf(config) };
            var all = RunbookLinter.ApplyPolicy(findings, policy, config?.BaseDirectory).ToList();
            foreach (var entry in entries)
            {
                all.AddRange(RunbookLinter.Lint(entry.Runbook, entry.Markdown, context));
            }

            // --baseline, else runbooks.lint.baseline, else .vigil-lint-baseline.json beside the config (or here) when it exists.
            var defaultBaseline = Path.Combine(config?.BaseDirectory ?? ctx.Env.WorkingDirectory, ".vigil-lint-baseline.json");
            var baselineFile = ctx.Parse.GetValue(baselineOption) is { } named ? ctx.Env.Resolve(named)
                : policy.Baseline is { } configured ? Path.Combine(config?.BaseDirectory ?? ctx.Env.WorkingDirectory, configured)
                : File.Exists(defaultBaseline) ? defaultBaseline
                : null;
            if (ctx.Parse.GetValue(writeBaseline))
            {
                baselineFile ??= defaultBaseline;
                File.WriteAllText(baselineFile, LintBaseline.Write(all));
                ctx.Line($"Wrote {all.Count} finding(s) of {entries.Count} runbook(s) to {baselineFile}; later runs report only findings not in it.");
                return Task.FromResult(ExitCodes.Ok);
            }

            var baselined = 0;
            if (baselineFile is not null)
            {
                if (!File.Exists(baselineFile))
                {
                    throw new CliException(ExitCodes.Usage, $"The baseline file {baselineFile} does not exist; create it with `vigil runbook lint --write-baseline`"
                        + (ctx.Parse.GetValue(baselineOption) is null ? " (runbooks.lint.baseline names it)" : "") + ".");
                }

                var baseline = LintBaseline.Read(File.ReadAllText(baselineFile), baselineFile, out var error) ?? throw new CliException(ExitCodes.Usage, error!);
                (var fresh, baselined) = baseline.Filter(all);
                all = fresh.ToList();
            }

            var count = entries.Count;
            var errors = all.Count(f => f.Severity == LintSeverity.Error);
            var warnings = all.Count(f => f.Severity == LintSeverity.Warning);
            var infos = all.Count - errors - warnings;
            if (format == OutputFormat.Sarif)
            {
                var root = config?.BaseDirectory ?? ctx.Env.WorkingDirectory;
                ctx.Env.Out.Write(LintSarif.Write(all, RunbookLinter.Rules, typeof(RunbookCommands).Assembly.GetName().Version?.ToString(3) ?? "0",
                    file => Path.IsPathRooted(file) ? Path.GetRelativePath(root, file) : file));
            }
            else if (format == OutputFormat.Json)
            {
                ctx.WriteJson(new { files = count, errors, warnings, infos, baselined, findings = all });
            }
            else
            {
                foreach (var f in all)
                {
                    ctx.Line($"{f.File}:{f.Line}: {LintFinding.Name(f.Severity)} [{f.Rule}] {f.Message}");
                    ctx.Line($"    fix: {f.Fix}");
                }

                ctx.Line($"{count} runbook(s) checked: {errors} error(s), {warnings} warning(s), {infos} info"
                    + (baselineFile is null ? "." : $"; {baselined} finding(s) in the baseline {baselineFile} not shown."));
            }

            return Task.FromResult(errors > 0 ? ExitCodes.Failed : ExitCodes.Ok);
        });
        return lint;
    }

    private static Command Plan(CliEnvironment env)
    {
        var procedure = ProcedureOption();
        var param = ParamOption();
        var plan = new Command("plan", "Dry run: print the steps exactly as they would run, the mutating ones, the rollback and what a freeze or approval would do. Runs nothing.")
        {
            RunbookArgument, procedure, param, ConfigCommands.ConfigFile,
        };
        plan.SetHandler(env, async (ctx, ct) =>
        {
            var entry = Resolve(ctx, ctx.Parse.GetValue(RunbookArgument)!);
            var config = TryLoadConfig(ctx);
            var options = RunbookPlanOptions.From(config?.Runbooks ?? new RunbooksConfig());
            var result = RunbookPlanner.Plan(entry.Runbook, ctx.Parse.GetValue(procedure), Params(ctx, param), options);
            if (!result.IsRunnable && !result.IsShowable)
            {
                throw new CliException(ExitCodes.Usage, $"{entry.Path} cannot run as asked:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", result.Problems.Select(p => p.Message)));
            }

            // A placeholder with no value does not stop a dry run: the plan shows where it goes, and says a run is refused without it.
            var warnings = result.Problems.Select(p => $"warning: {p.Message} (a run is refused until it has a value)").ToList();
            var safety = await SafetyAsync(ctx, entry, result, config, ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(new { runbook = entry.Id, procedure = result.Procedure!.Slug, parameters = result.Shown, steps = result.Steps, rollback = result.Rollback, branches = result.Branches, safety, warnings });
                return ExitCodes.Ok;
            }

            var c = ctx.Console;
            c.MarkupLine($"[bold]Plan for {Markup.Escape(entry.Id)} › {Markup.Escape(result.Procedure!.Title)}[/] (nothing is run)");
            foreach (var (name, value) in result.Shown)
            {
                c.MarkupLine(Markup.Escape($"  param {name} = {value}"));
            }

            if (result.Branches.Count > 0 || result.Steps.Any(s => s.When is not null))
            {
                c.WriteLine();
                c.MarkupLine("[bold]Flow[/] (a failed step with on_fail continues with that procedure instead of rolling back)");
                foreach (var line in RunbookBranches.Tree(result))
                {
                    c.MarkupLine("  " + Markup.Escape(line));
                }
            }

            foreach (var step in result.Steps.Concat(result.Rollback).Concat(result.Branches.SelectMany(b => b.Steps.Concat(b.Rollback))))
            {
                c.WriteLine();
                c.MarkupLine($"[bold]{(step.InRollback ? "rollback " : "")}step {step.Index}{(step.InBranch ? " of " + Markup.Escape(step.Procedure ?? "") : "")}[/] {Markup.Escape(step.Name ?? "")}{Flags(step.Mutating, step.Confirm, step.Timeout)}  [grey](line {step.Line})[/]");
                if (step.Gate is { } gate)
                {
                    c.MarkupLine($"  [blue]gate:[/] {Markup.Escape(gate.Describe(options.DefaultTimeout))} [grey](after the script, from Vigil's live check state)[/]");
                }

                if (step.When is { } when)
                {
                    c.MarkupLine($"  [blue]runs only {Markup.Escape(when.Describe())}[/] [grey](else skipped)[/]");
                }

                if (step.OnFail is { } onFail)
                {
                    c.MarkupLine($"  [blue]on failure:[/] continue with {Markup.Escape(onFail)} [grey](no rollback)[/]");
                }

                c.MarkupLine($"  [grey]$ {StepShells.CommandLine(step.Language)}[/]");
                var lines = step.Script.Split('\n');
                for (var i = 0; i <= lines.Length; i++)
                {
                    // Output lines of a prompt-style block are shown where the runbook shows them, marked, and never run.
                    foreach (var output in step.Output.Where(o => o.After == i))
                    {
                        c.MarkupLine($"  [grey]│ {Markup.Escape(output.Text)}[/]");
                    }

                    if (i < lines.Length)
                    {
                        c.MarkupLine($"  {Markup.Escape(lines[i])}");
                    }
                }

                if (step.Output.Count > 0)
                {
                    c.MarkupLine("  [grey](│ lines are the runbook's example output: shown, not run)[/]");
                }
            }

            c.WriteLine();
            var mutating = result.AllSteps.Where(s => s.Mutating).Select(s => s.InBranch ? $"{s.Index} of {s.Procedure}" : s.Index.ToString(CultureInfo.InvariantCulture)).ToList();
            c.MarkupLine(Markup.Escape($"Mutating steps: {(mutating.Count == 0 ? "none" : string.Join(", ", mutating))}. Rollback: {(result.Rollback.Count == 0 ? "none" : $"{result.Rollback.Count} step(s), run if a step fails")}."));
            foreach (var line in safety)
            {
                c.MarkupLine(Markup.Escape(line));
            }

            foreach (var warning in warnings)
            {
                c.MarkupLine($"[yellow]{Markup.Escape(warning)}[/]");
            }

            return ExitCodes.Ok;
        });
        return plan;
    }

    private static Command Run(CliEnvironment env, bool drill)
    {
        var procedure = ProcedureOption();
        var param = ParamOption();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask before ordinary steps (confirm=true steps still ask unless --confirm names them)" };
        var confirm = new Option<string[]>("--confirm") { Description = "Approve a confirm=true step in advance (its name or number, or all; repeat it)" };
        var stepByStep = new Option<bool>("--step-by-step") { Description = "Ask before every step, even with --yes" };
        var incident = new Option<long?>("--incident") { Description = "Link the run to this incident (its steps go on the timeline)" };
        var overrideFreeze = new Option<bool>("--override-freeze") { Description = "Run mutating steps despite a freeze (operator; needs --reason)" };
        var reason = new Option<string?>("--reason") { Description = "Why the freeze is overridden (audited)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Start (or request) the run and return without streaming it" };
        var rto = new Option<string>("--rto") { Description = "Recovery time objective, like 10m (a fault-injection drill defaults to the service's rto:)" };
        var run = drill
            ? new Command("run", "Run a fault-injection drill (inject, detect, recover, verify; paging held) and judge it against the RTO; with --procedure, time one recovery procedure instead.")
            {
                RunbookArgument, procedure, param, yes, confirm, rto, noWait,
            }
            : new Command("run", "Run a procedure on the Vigil server host, streaming its output; rollback runs if a step fails.")
            {
                RunbookArgument, procedure, param, yes, confirm, stepByStep, incident, overrideFreeze, reason, noWait,
            };
        run.SetHandler(env, async (ctx, ct) =>
        {
            var wait = !ctx.Parse.GetValue(noWait);
            if (drill && ctx.Parse.GetValue(procedure) is null)
            {
                return await DrillCommands.RunAsync(ctx, ctx.Parse.GetValue(RunbookArgument)!, Params(ctx, param), ctx.Parse.GetValue(rto), ctx.Parse.GetValue(confirm), wait, ct);
            }

            if (drill && ctx.Parse.GetValue(rto) is null)
            {
                throw new CliException(ExitCodes.Usage, "A timed drill of one procedure needs --rto (like --rto 10m); without --procedure, vigil drill run runs a fault-injection drill.");
            }

            var autoConfirm = ctx.Parse.GetValue(yes);
            if (!autoConfirm && (ctx.Env.Input is null || !wait))
            {
                throw new CliException(ExitCodes.Usage, wait
                    ? "Nobody can answer step confirmations here (stdin is not a terminal); pass --yes (and --confirm STEP for steps marked confirm=true)."
                    : "--no-wait needs --yes: nobody will be there to confirm steps.");
            }

            using var api = ctx.Api();
            var body = new RunCreateRequest(ctx.Parse.GetValue(RunbookArgument), ctx.Parse.GetValue(procedure), Params(ctx, param), autoConfirm,
                ctx.Parse.GetValue(confirm), drill ? null : ctx.Parse.GetValue(stepByStep), drill ? null : ctx.Parse.GetValue(incident),
                drill ? null : ctx.Parse.GetValue(overrideFreeze), drill ? null : ctx.Parse.GetValue(reason), drill ? ctx.Parse.GetValue(rto) : null);
            var created = await api.PostAsync<RunView>("api/v1/runbook-runs", body, ct);
            if (!wait)
            {
                ctx.Line(created.Status == RunStatus.PendingApproval
                    ? $"Run #{created.Id} waits for approval by another person: vigil runbook approve {created.Id} (then: vigil runbook follow {created.Id})"
                    : $"Run #{created.Id} started; follow it with 'vigil runbook follow {created.Id}'.");
                return ExitCodes.Ok;
            }

            return await RunStream.FollowAsync(ctx, api, created, declineWithoutTerminal: true, ct);
        });
        return run;
    }

    private static Command Runs(CliEnvironment env, bool drills)
    {
        var id = new Argument<string?>("runbook") { Description = "Only this runbook's runs", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit") { Description = "How many (newest first)", DefaultValueFactory = _ => 20 };
        var timed = new Option<bool>("--timed") { Description = "Timed recovery drills (drill run --procedure) instead of fault-injection drills" };
        var service = new Option<string?>("--service") { Description = "Only this service's fault-injection drills" };
        var runs = drills
            ? new Command("list", "Fault-injection drill history (inject, detect, recover, total against the RTO, PASS or FAIL) and the trend per service.") { id, limit, timed, service }
            : new Command("runs", "Runs, newest first.") { id, limit };
        runs.SetHandler(env, async (ctx, ct) =>
        {
            if (drills && !ctx.Parse.GetValue(timed))
            {
                return await DrillCommands.ListAsync(ctx, ctx.Parse.GetValue(service), ctx.Parse.GetValue(limit), ct);
            }

            using var api = ctx.Api();
            var query = $"api/v1/runbook-runs?limit={ctx.Parse.GetValue(limit)}" + (drills ? "&drills=true" : "")
                + (ctx.Parse.GetValue(id) is { } rb ? "&runbook=" + Uri.EscapeDataString(rb) : "");
            var list = await api.GetAsync<List<RunView>>(query, ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(list);
                return ExitCodes.Ok;
            }

            var table = drills
                ? new Table().AddColumns("#", "RUNBOOK", "PROCEDURE", "STATUS", "TIME TO RESTORE", "RTO", "RESULT", "STARTED")
                : new Table().AddColumns("#", "RUNBOOK", "PROCEDURE", "STATUS", "BY", "TRIGGER", "INCIDENT", "DURATION", "STARTED");
            foreach (var r in list)
            {
                var duration = r.DurationSeconds is { } d ? $"{d:0.0} s" : "-";
                if (drills)
                {
                    table.AddRow($"{r.Id}", Markup.Escape(r.Runbook), Markup.Escape(r.Procedure), Status(r.Status), duration, $"{r.DrillRtoSeconds:0} s",
                        r.Drill switch { DrillResult.Pass => "[green]PASS[/]", DrillResult.Fail => "[red]FAIL[/]", _ => "-" }, CliContext.Ago(r.CreatedAt));
                }
                else
                {
                    table.AddRow($"{r.Id}", Markup.Escape(r.Runbook), Markup.Escape(r.Procedure), Status(r.Status), Markup.Escape(r.RequestedBy), Markup.Escape(r.Trigger),
                        r.Incident is { } i ? $"#{i}" : "-", duration, CliContext.Ago(r.CreatedAt));
                }
            }

            ctx.Console.Write(table);
            return ExitCodes.Ok;
        });
        return runs;
    }

    private static readonly Argument<long> RunArgument = new("run") { Description = "The run number" };

    private static Command Log(CliEnvironment env)
    {
        var log = new Command("log", "The captured, redacted output of every step of a run.") { RunArgument };
        log.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var id = ctx.Parse.GetValue(RunArgument);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(await api.GetAsync<RunView>($"api/v1/runbook-runs/{id}", ct));
            }
            else
            {
                ctx.Env.Out.Write(await api.SendTextAsync(HttpMethod.Get, $"api/v1/runbook-runs/{id}/log", ct));
            }

            return ExitCodes.Ok;
        });
        return log;
    }

    private static Command Follow(CliEnvironment env)
    {
        var follow = new Command("follow", "Attach to a run: stream its output live (a finished run is replayed) and answer its confirmations.") { RunArgument };
        follow.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var run = await api.GetAsync<RunView>($"api/v1/runbook-runs/{ctx.Parse.GetValue(RunArgument)}", ct);
            return await RunStream.FollowAsync(ctx, api, run, declineWithoutTerminal: false, ct);
        });
        return follow;
    }

    private static Command RunAction(CliEnvironment env, string name, string description)
    {
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the audit trail)" };
        var command = new Command(name, description) { RunArgument, reason };
        command.SetHandler(env, async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var id = ctx.Parse.GetValue(RunArgument);
            var run = await api.PostAsync<RunView>($"api/v1/runbook-runs/{id}/{name}", new RunReasonRequest(ctx.Parse.GetValue(reason)), ct);
            if (ctx.Format == OutputFormat.Json)
            {
                ctx.WriteJson(run);
            }
            else
            {
                ctx.Line($"Run #{run.Id} of {run.Runbook} ({run.Procedure}) is {RunNames.Of(run.Status)}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A runbook by file path (parsed here) or by catalog id (from the local config).</summary>
    internal static CatalogEntry Resolve(CliContext ctx, string idOrPath)
    {
        var path = ctx.Env.Resolve(idOrPath);
        if (File.Exists(path))
        {
            return RunbookCatalog.ReadFile(path, idOrPath, out var error, LocalCommands(ctx)) ?? throw new CliException(ExitCodes.Usage, error!);
        }

        var config = TryLoadConfig(ctx) ?? throw new CliException(ExitCodes.Usage,
            $"{idOrPath} is not a file, and there is no config here to look it up as a runbook id ({ConfigCommands.ResolveConfig(ctx)}); pass a path or --config.");
        var catalog = RunbookCatalog.Load(config);
        return catalog.Find(idOrPath) ?? throw new CliException(ExitCodes.Usage,
            $"No runbook '{idOrPath}' in the catalog; known ids: {(catalog.Entries.Count == 0 ? "none" : string.Join(", ", catalog.Entries.Select(e => e.Id)))}.");
    }

    // The config's hazard table for a runbook given by path; a missing or broken config means the built-in one.
    private static CommandTable? LocalCommands(CliContext ctx)
    {
        try
        {
            return TryLoadConfig(ctx) is { } config ? CommandTable.For(config.Runbooks) : null;
        }
        catch (CliException)
        {
            return null;
        }
    }

    private static VigilConfig? TryLoadConfig(CliContext ctx) =>
        File.Exists(ConfigCommands.ResolveConfig(ctx)) ? ConfigCommands.LoadOrThrow(ctx).Result.Config : null;

    private static IEnumerable<string> ExpandPaths(CliContext ctx, IEnumerable<string> given)
    {
        foreach (var g in given)
        {
            var full = ctx.Env.Resolve(g);
            if (Directory.Exists(full))
            {
                foreach (var f in Directory.EnumerateFiles(full, "*.md", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).Order(StringComparer.Ordinal))
                {
                    yield return Path.GetRelativePath(ctx.Env.WorkingDirectory, f);
                }
            }
            else if (File.Exists(full))
            {
                yield return g;
            }
            else
            {
                throw new CliException(ExitCodes.Usage, $"{g} does not exist; pass runbook files or folders.");
            }
        }
    }

    private static Dictionary<string, string> Params(CliContext ctx, Option<string[]> option)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in ctx.Parse.GetValue(option) ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliException(ExitCodes.Usage, $"--param {pair}: write NAME=VALUE, like --param backup-id=2024-05-01.");
            }

            values[pair[..eq]] = pair[(eq + 1)..];
        }

        return values;
    }

    /// <summary>What freezes and approvals would do to this run: from the server when one answers, else what the local config says.</summary>
    private static async Task<List<string>> SafetyAsync(CliContext ctx, CatalogEntry entry, RunbookPlan plan, VigilConfig? config, CancellationToken ct)
    {
        var lines = new List<string>();
        if (config is not null)
        {
            var env = config.Vigil.Environment;
            lines.Add(!config.Runbooks.RequireApprovalIn.Contains(env, StringComparer.Ordinal) ? $"Approval: not needed in environment {env}."
                : plan.AllSteps.Any(s => s.Mutating) ? $"Approval: needed — environment {env} is in runbooks.require_approval_in; the run waits until another person runs 'vigil runbook approve'."
                : $"Approval: not needed — no step changes anything (environment {env} needs approval only for changes).");
        }

        if (!plan.AllSteps.Any(s => s.Mutating))
        {
            lines.Add("Freeze: no step changes anything, so freezes do not stop this run.");
            return lines;
        }

        try
        {
            using var api = ctx.Api();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var freezes = await api.GetAsync<List<FreezeView>>("api/v1/freezes", timeout.Token);
            // The server lists only active freezes; the rule of which one covers this runbook is Core's.
            var freeze = Freeze.FirstCovering(freezes.Select(f => new Freeze(f.Id, f.Service, f.Reason, f.CreatedBy, f.CreatedAt, null, null)), entry.Service);
            lines.Add(freeze is null
                ? $"Freeze: none covers {entry.Service ?? "this runbook"} now."
                : $"Freeze: REFUSED now — {(freeze.Service is null ? "everything" : freeze.Service)} is frozen (#{freeze.Id}: {freeze.Reason}); mutating steps need --override-freeze --reason R by an operator.");
        }
        catch (Exception ex) when (ex is CliException or OperationCanceledException)
        {
            lines.Add($"Freeze: unknown — no server answered at {ctx.ServerUrl}; mutating steps are refused while a freeze covers {entry.Service ?? "everything"}.");
        }

        return lines;
    }

    internal static string Flags(bool mutating, bool confirm, TimeSpan? timeout) =>
        (mutating ? "  [yellow]mutating[/]" : "") + (confirm ? "  [red]confirm[/]" : "") + (timeout is { } t ? $"  [grey]timeout {Durations.Human(t)}[/]" : "");

    internal static string Status(RunStatus status) => status switch
    {
        RunStatus.Succeeded => "[green]succeeded[/]",
        RunStatus.Failed or RunStatus.Interrupted or RunStatus.Expired => $"[red]{RunNames.Of(status)}[/]",
        RunStatus.Cancelled => "[grey]cancelled[/]",
        _ => $"[yellow]{RunNames.Of(status)}[/]",
    };
}
