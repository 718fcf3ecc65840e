using System.Text;
using Vigil.Core.Config;

namespace Vigil.Core.Runbooks;

/// <summary>
/// Branches between the procedures of one runbook, as pure functions: reading <c>on_fail="#slug"</c>, the graph it makes,
/// what a procedure can reach, what is wrong with the graph (unknown targets, cycles, unreachable sub-procedures, conditions
/// that do not read) and the graph of a plan as a text tree.
/// </summary>
public static class RunbookBranches
{
    /// <summary>The attribute that sends a step's failure to another procedure of the same file.</summary>
    public const string OnFailKey = "on_fail";

    private const string Form = "write it as on_fail=\"#slug\", the anchor of a procedure's heading in this file (`vigil runbook show` lists the slugs)";

    /// <summary>
    /// Reads an <c>on_fail</c> value: <c>#slug</c> (the <c>#</c> may be left out). Returns false with <paramref name="error"/> for
    /// a value that is not an anchor (a path, a URL, an empty one).
    /// </summary>
    public static bool TryReadTarget(string? value, out string? anchor, out string? error)
    {
        anchor = null;
        error = null;
        if (value is null)
        {
            return true;
        }

        var text = value.Trim();
        var bare = text.StartsWith('#') ? text[1..].Trim() : text;
        if (bare.Length == 0 || bare.Contains('/', StringComparison.Ordinal) || bare.Contains('#', StringComparison.Ordinal) || bare.Contains(':', StringComparison.Ordinal)
            || bare.Any(char.IsWhiteSpace))
        {
            error = $"attribute on_fail='{value}' is not a procedure anchor in this file; {Form}";
            return false;
        }

        anchor = bare;
        return true;
    }

    /// <summary>The procedure an anchor names: its slug (case-insensitive), else its heading text; null when none does.</summary>
    public static RunbookProcedure? Resolve(Runbook runbook, string anchor)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        ArgumentNullException.ThrowIfNull(anchor);
        return runbook.FindProcedure(anchor);
    }

    /// <summary>Every <c>on_fail</c> of an ordinary (not rollback) step whose target exists, in file order.</summary>
    public static IReadOnlyList<BranchEdge> Edges(Runbook runbook)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        var edges = new List<BranchEdge>();
        foreach (var procedure in runbook.Procedures)
        {
            foreach (var step in procedure.Steps)
            {
                if (TryReadTarget(step.OnFail, out var anchor, out _) && anchor is not null && Resolve(runbook, anchor) is { } target)
                {
                    edges.Add(new BranchEdge(procedure.Slug, step, target.Slug));
                }
            }
        }

        return edges;
    }

    /// <summary>The slugs a run of <paramref name="start"/> can reach through <c>on_fail</c>, <paramref name="start"/> first, then in the order found.</summary>
    public static IReadOnlyList<string> Reachable(Runbook runbook, string start) => Reachable(Edges(runbook), start);

    private static List<string> Reachable(IReadOnlyList<BranchEdge> edges, string start)
    {
        var seen = new List<string> { start };
        for (var i = 0; i < seen.Count; i++)
        {
            foreach (var edge in edges.Where(e => e.From == seen[i] && !seen.Contains(e.To)))
            {
                seen.Add(edge.To);
            }
        }

        return seen;
    }

    /// <summary>
    /// What is wrong with the branches of <paramref name="runbook"/>, in file order: an <c>on_fail</c> that is not an anchor,
    /// names no procedure, or sits on a rollback step; a <c>when=</c> that does not read; a <c>from=</c> that names no step;
    /// a cycle of <c>on_fail</c>s; and, in a procedure that branches, a sub-procedure (a heading under it) that nothing in it leads to.
    /// </summary>
    public static IReadOnlyList<BranchProblem> Problems(Runbook runbook)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        var problems = new List<BranchProblem>();
        var slugs = runbook.Procedures.Select(p => p.Slug).ToList();
        var names = runbook.Procedures.SelectMany(p => p.Steps.Concat(p.Rollback)).Select(s => s.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var procedure in runbook.Procedures)
        {
            foreach (var step in procedure.Steps.Concat(procedure.Rollback))
            {
                var where = $"step {step.Index} of {procedure.Slug}";
                var inRollback = procedure.Rollback.Contains(step);
                if (!TryReadTarget(step.OnFail, out var anchor, out var error))
                {
                    problems.Add(new(procedure.Slug, step.Line, $"{where}: {error}", "see docs/runbooks.md#branches", true));
                }
                else if (anchor is not null && inRollback)
                {
                    problems.Add(new(procedure.Slug, step.Line, $"rollback {where} has on_fail='{step.OnFail}', but a rollback step cannot branch: the first rollback step that fails ends the rollback",
                        "drop on_fail from the rollback step", true));
                }
                else if (anchor is not null && Resolve(runbook, anchor) is null)
                {
                    var suggestion = Suggest.Closest(anchor.ToLowerInvariant(), slugs);
                    problems.Add(new(procedure.Slug, step.Line,
                        $"{where} has on_fail='{step.OnFail}', but no procedure of this file has that anchor{(suggestion is null ? "" : $"; did you mean `#{suggestion}`?")}",
                        $"name one of: {string.Join(", ", slugs.Select(s => "#" + s))}", true));
                }

                if (!StepConditions.TryRead(step.Attributes, out var condition, out var whenError))
                {
                    problems.Add(new(procedure.Slug, step.Line, $"{(inRollback ? "rollback " : "")}{where}: {whenError}", "see docs/runbooks.md#branches", true));
                }
                else if (condition?.From is { } from && !names.Contains(from))
                {
                    var suggestion = Suggest.Closest(from, names);
                    problems.Add(new(procedure.Slug, step.Line,
                        $"{(inRollback ? "rollback " : "")}{where} tests the output of step {from}, but no step of this file has name={from}{(suggestion is null ? "" : $"; did you mean `{suggestion}`?")}",
                        "name a step that runs before this one (its name= attribute), or drop from= to test the previous step", true));
                }
            }
        }

        var edges = Edges(runbook);
        problems.AddRange(Cycles(runbook, edges));
        problems.AddRange(Unreachable(runbook, edges));
        return problems.OrderBy(p => p.Line).ToList();
    }

    /// <summary>The problems that refuse a run of <paramref name="start"/>: those in procedures it can reach that block a run.</summary>
    public static IReadOnlyList<BranchProblem> RunProblems(Runbook runbook, string start)
    {
        var reachable = Reachable(runbook, start).ToHashSet(StringComparer.Ordinal);
        return Problems(runbook).Where(p => p.BlocksRun && reachable.Contains(p.Procedure)).ToList();
    }

    // Each cycle once, reported at the step whose on_fail closes it (the edge back to a procedure on the current path).
    private static IEnumerable<BranchProblem> Cycles(Runbook runbook, IReadOnlyList<BranchEdge> edges)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the path, 2: done
        var path = new List<string>();
        var found = new List<BranchProblem>();

        void Visit(string slug)
        {
            state[slug] = 1;
            path.Add(slug);
            foreach (var edge in edges.Where(e => e.From == slug))
            {
                var to = state.GetValueOrDefault(edge.To);
                if (to == 1)
                {
                    var loop = path.Skip(path.IndexOf(edge.To)).Append(edge.To);
                    found.Add(new(slug, edge.Step.Line,
                        $"step {edge.Step.Index} of {slug} has on_fail='{edge.Step.OnFail}', which closes a cycle: {string.Join(" → ", loop)}; a failure could branch forever",
                        "send the failure to a procedure that does not lead back here (branches form a tree or a DAG)", true));
                }
                else if (to == 0)
                {
                    Visit(edge.To);
                }
            }

            path.RemoveAt(path.Count - 1);
            state[slug] = 2;
        }

        foreach (var procedure in runbook.Procedures.Where(p => !state.ContainsKey(p.Slug)))
        {
            Visit(procedure.Slug);
        }

        return found;
    }

    // A procedure whose heading sits under a procedure that branches is read as one of its branches: it must be reachable from it.
    private static IEnumerable<BranchProblem> Unreachable(Runbook runbook, IReadOnlyList<BranchEdge> edges)
    {
        foreach (var procedure in runbook.Procedures.Where(p => p.Parent is not null))
        {
            var reachable = Reachable(edges, procedure.Parent!);
            if (reachable.Count > 1 && !reachable.Contains(procedure.Slug))
            {
                yield return new(procedure.Slug, procedure.Line,
                    $"procedure {procedure.Slug} sits under {procedure.Parent}, which branches with on_fail, but nothing in {procedure.Parent} or its branches goes to #{procedure.Slug}: it is unreachable from there",
                    $"add on_fail=\"#{procedure.Slug}\" to the step of {procedure.Parent} that should lead here, or move its heading out from under {procedure.Parent} to make it a procedure of its own",
                    false);
            }
        }
    }

    /// <summary>
    /// The branch graph of <paramref name="plan"/> as a text tree: each step of the chosen procedure, its condition, and under a step
    /// with <c>on_fail</c> the steps of the procedure it goes to (a procedure already drawn is referred to, not drawn again). Empty
    /// when the plan has no procedure.
    /// </summary>
    public static IReadOnlyList<string> Tree(RunbookPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Procedure is null)
        {
            return [];
        }

        var lines = new List<string> { plan.Procedure.Slug };
        var drawn = new HashSet<string>(StringComparer.Ordinal) { plan.Procedure.Slug };
        Draw(plan, plan.Steps, "", lines, drawn);
        return lines;
    }

    private static void Draw(RunbookPlan plan, IReadOnlyList<PlannedStep> steps, string indent, List<string> lines, HashSet<string> drawn)
    {
        if (steps.Count == 0)
        {
            lines.Add(indent + "└─ (no steps)");
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var last = i == steps.Count - 1;
            var label = new StringBuilder($"step {step.Index}");
            if (step.Name is { } name)
            {
                label.Append(' ').Append(name);
            }

            if (step.When is { } when)
            {
                label.Append("  [").Append(when.Describe()).Append(", else skipped]");
            }

            lines.Add(indent + (last ? "└─ " : "├─ ") + label);
            if (step.OnFail is not { } target)
            {
                continue;
            }

            var inner = indent + (last ? "   " : "│  ");
            if (!drawn.Add(target))
            {
                lines.Add(inner + $"└─ on failure → {target} (drawn above)");
                continue;
            }

            lines.Add(inner + $"└─ on failure → {target}");
            var branch = plan.Branches.FirstOrDefault(b => b.Slug == target);
            Draw(plan, branch?.Steps ?? [], inner + "   ", lines, drawn);
        }
    }
}
