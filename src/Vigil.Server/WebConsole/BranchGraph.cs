using System.Globalization;
using Vigil.Core.Runbooks;

namespace Vigil.Server.WebConsole;

/// <summary>
/// The branch graph of one procedure, laid out for the console's runbook page as plain SVG drawn on the server: a column per
/// procedure a run can reach (the procedure first, then its <c>on_fail</c> targets in the order found), its steps as nodes
/// top to bottom ending in an "end" node, and three kinds of edges: <c>next</c> (the step after), <c>on_fail</c> (a failure
/// goes to the first step of another procedure) and <c>skip</c> (a <c>when</c> that does not hold skips the step).
/// Pure: no I/O, the same graph for the same runbook.
/// </summary>
public sealed record BranchGraph(string Start, double Width, double Height, IReadOnlyList<BranchGraph.Column> Columns, IReadOnlyList<BranchGraph.Node> Nodes,
    IReadOnlyList<BranchGraph.Edge> Edges)
{
    public const double NodeWidth = 220;
    public const double NodeHeight = 46;
    private const double Pad = 40;
    private const double RightPad = 90;
    private const double Top = 44;
    private const double ColumnGap = 130;
    private const double RowGap = 34;
    private const double EndHeight = 24;

    /// <summary>A procedure's column: its slug and heading, where it starts, and its rollback steps (listed under the column).</summary>
    public sealed record Column(string Slug, string Title, double X, double Bottom, IReadOnlyList<string> Rollback);

    /// <summary>A step (or a column's end, <see cref="IsEnd"/>): where it is drawn, its label and the tooltip.</summary>
    public sealed record Node(string Procedure, int Index, string Label, string? Detail, string Tooltip, double X, double Y, bool IsEnd, bool Mutating, bool Conditional)
    {
        public double Height => IsEnd ? EndHeight : NodeHeight;
    }

    /// <summary>An edge: <c>next</c>, <c>on-fail</c> or <c>skip</c>, an SVG path, and an optional label with its position.</summary>
    public sealed record Edge(string Kind, string Path, string? Label, double LabelX, double LabelY, string Description);

    /// <summary>The sentence that describes the graph for people who do not see it (the SVG's accessible name).</summary>
    public string Summary =>
        $"Flow of {Start}: {Nodes.Count(n => !n.IsEnd && n.Procedure == Start)} steps"
        + (Columns.Count > 1 ? $"; a failure can continue with {string.Join(", ", Columns.Skip(1).Select(c => c.Slug))}" : "")
        + (Nodes.Any(n => n.Conditional) ? $"; {Nodes.Count(n => n.Conditional)} step(s) run only when a condition holds" : "");

    /// <summary>
    /// The graph of <paramref name="procedure"/>, or null when it does not branch: none of the steps it can reach has
    /// <c>on_fail</c> or <c>when</c>.
    /// </summary>
    public static BranchGraph? For(Runbook runbook, RunbookProcedure procedure)
    {
        ArgumentNullException.ThrowIfNull(runbook);
        ArgumentNullException.ThrowIfNull(procedure);
        var slugs = RunbookBranches.Reachable(runbook, procedure.Slug);
        var procedures = slugs.Select(s => runbook.Procedures.FirstOrDefault(p => p.Slug == s)).OfType<RunbookProcedure>().ToList();
        var conditions = procedures.SelectMany(p => p.Steps).ToDictionary(s => s, s => StepConditions.TryRead(s.Attributes, out var c, out _) ? c : null);
        if (procedures.Count < 2 && conditions.Values.All(c => c is null))
        {
            return null;
        }

        var columns = new List<Column>();
        var nodes = new List<Node>();
        var edges = new List<Edge>();
        var first = new Dictionary<string, Node>(StringComparer.Ordinal);
        var stepNodes = new Dictionary<RunbookStep, Node>();
        var height = 0.0;
        for (var c = 0; c < procedures.Count; c++)
        {
            var p = procedures[c];
            var x = Pad + c * (NodeWidth + ColumnGap);
            var column = new List<Node>();
            for (var i = 0; i < p.Steps.Count; i++)
            {
                var step = p.Steps[i];
                var when = conditions[step];
                var label = Fit($"{step.Index} · {step.Name ?? "step " + step.Index.ToString(CultureInfo.InvariantCulture)}", 30);
                var detail = when is not null ? Fit($"when {(when.Negated ? "!~" : "=~")} /{when.Pattern}/{(when.From is null ? "" : " of " + when.From)}", 34)
                    : step.Mutating ? "mutating" : null;
                var tooltip = $"step {step.Index} of {p.Slug}{(step.Name is null ? "" : $" ({step.Name})")}, line {step.Line}"
                    + (step.Description is { } d ? $": {d}" : "")
                    + (when is not null ? $"; runs only {when.Describe()}, else skipped" : "")
                    + (step.OnFail is { } f ? $"; on failure → {f.TrimStart('#')}" : "");
                var node = new Node(p.Slug, step.Index, label, detail, tooltip, x, Top + i * (NodeHeight + RowGap), false, step.Mutating, when is not null);
                column.Add(node);
                stepNodes[step] = node;
            }

            var endY = Top + p.Steps.Count * (NodeHeight + RowGap);
            var end = new Node(p.Slug, 0, "end", null, $"the run ends after the last step of {p.Slug}", x, endY, true, false, false);
            column.Add(end);
            nodes.AddRange(column);
            first[p.Slug] = column[0];
            var bottom = endY + EndHeight;
            columns.Add(new Column(p.Slug, p.Title, x, bottom, p.Rollback.Select(r => r.Name ?? $"step {r.Index}").ToList()));
            height = Math.Max(height, bottom + (p.Rollback.Count > 0 ? 28 : 0));

            for (var i = 0; i + 1 < column.Count; i++)
            {
                var (a, b) = (column[i], column[i + 1]);
                var cx = a.X + NodeWidth / 2;
                edges.Add(new Edge("next", $"M {N(cx)} {N(a.Y + a.Height)} L {N(cx)} {N(b.Y - 3)}", null, 0, 0, $"{Name(a)} → {Name(b)}"));
            }

            // A step whose when does not hold is skipped: the run goes from its entry to the next node, drawn on the right
            // (on_fail edges leave a step from its right side too, but from its middle, and enter a branch from the left).
            for (var i = 0; i < p.Steps.Count; i++)
            {
                if (conditions[p.Steps[i]] is null)
                {
                    continue;
                }

                var (a, b) = (column[i], column[i + 1]);
                var (y1, y2) = (a.Y + 8, b.Y + Math.Min(8, b.Height / 2));
                var (x1, bend) = (a.X + NodeWidth, a.X + NodeWidth + 30);
                edges.Add(new Edge("skip", $"M {N(x1)} {N(y1)} C {N(bend)} {N(y1)}, {N(bend)} {N(y2)}, {N(x1 + 3)} {N(y2)}", "skipped",
                    bend + 4, (y1 + y2) / 2 + 4, $"{Name(a)} is skipped when its condition does not hold → {Name(b)}"));
            }
        }

        foreach (var p in procedures)
        {
            foreach (var step in p.Steps)
            {
                if (!RunbookBranches.TryReadTarget(step.OnFail, out var anchor, out _) || anchor is null
                    || RunbookBranches.Resolve(runbook, anchor) is not { } target || !first.TryGetValue(target.Slug, out var to))
                {
                    continue;
                }

                var from = stepNodes[step];
                var right = to.X > from.X;
                var (x1, y1) = (right ? from.X + NodeWidth : from.X, from.Y + NodeHeight / 2);
                var (x2, y2) = (right ? to.X - 3 : to.X + NodeWidth + 3, to.Y + NodeHeight / 2);
                var dx = Math.Max(40, Math.Abs(x2 - x1) / 2) * (right ? 1 : -1);
                edges.Add(new Edge("on-fail", $"M {N(x1)} {N(y1)} C {N(x1 + dx)} {N(y1)}, {N(x2 - dx)} {N(y2)}, {N(x2)} {N(y2)}", "on failure",
                    x1 + (right ? 8 : -8), y1 - 6, $"{Name(from)} on failure → {target.Slug}"));
            }
        }

        var width = Pad + RightPad + procedures.Count * NodeWidth + (procedures.Count - 1) * ColumnGap;
        return new BranchGraph(procedure.Slug, width, height + 12, columns, nodes, edges);
    }

    private static string Name(Node n) => n.IsEnd ? $"end of {n.Procedure}" : $"step {n.Index} of {n.Procedure}";

    private static string Fit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>A coordinate as SVG wants it: invariant culture, at most one decimal.</summary>
    public static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
