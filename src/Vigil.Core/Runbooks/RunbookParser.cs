using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Vigil.Core.Runbooks;

/// <summary>
/// Turns a Markdown runbook into procedures, steps and parameters. Pure: no I/O, and it never throws on
/// content (bad front matter, bad attributes and unclosed fences become <see cref="Runbook.Diagnostics"/>).
/// </summary>
public static partial class RunbookParser
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().Build();

    // Shell and system variables, and VIGIL_* (what Vigil itself passes to steps), are never parameters.
    private static readonly HashSet<string> WellKnownVariables =
        new(StringComparer.Ordinal) { "HOME", "PATH", "USER", "PWD", "SHELL", "HOSTNAME", "RANDOM", "UID" };

    /// <summary>Parses <paramref name="markdown"/>; <paramref name="path"/> is only recorded (and names a heading-less runbook).</summary>
    /// <param name="commands">The hazard table the steps' commands are classed with (default: the built-in one).</param>
    public static Runbook Parse(string markdown, string path, CommandTable? commands = null)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(path);

        var diagnostics = new List<RunbookDiagnostic>();
        var lines = markdown.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n');
        var metadata = RunbookFrontMatter.Extract(lines, diagnostics);
        var document = Markdown.Parse(string.Join('\n', lines), Pipeline);

        var heading = document.Descendants<HeadingBlock>().FirstOrDefault(h => h.Level == 1) is { } h1 && InlineText(h1.Inline).Trim() is { Length: > 0 } text ? text : null;
        var sections = ReadSections(document, metadata.Title ?? heading ?? System.IO.Path.GetFileNameWithoutExtension(path), diagnostics);
        var placed = new List<(string Slug, int Index, bool InRollback, Draft Draft)>();
        var procedures = BuildProcedures(sections, placed, commands ?? CommandTable.Default);
        var parameters = CollectParameters(metadata, placed);
        return new Runbook(path, metadata, procedures, parameters, diagnostics) { Heading = heading };
    }

    /// <summary>The environment variable for a parameter: <c>VIGIL_PARAM_</c> + name, non-[A-Za-z0-9_] replaced by <c>_</c>.</summary>
    public static string EnvVarName(string parameterName)
    {
        ArgumentNullException.ThrowIfNull(parameterName);
        return "VIGIL_PARAM_" + NonIdentifierChar().Replace(parameterName, "_");
    }

    /// <summary>A step before numbering, with the source line of each code line.</summary>
    private sealed record Draft(RunbookStep Step, List<(string Text, int Line)> Lines);

    private sealed class Section(string title, int level, int line, Section? parent)
    {
        public string Title { get; } = title;
        public int Level { get; } = level;
        public int Line { get; } = line;
        public Section? Parent { get; } = parent;
        public List<Draft> Steps { get; } = [];
        public List<Draft> Rollback { get; } = [];
        public bool IsRollbackHeading => Level > 0 && Title.Trim().TrimEnd(':').Trim().Equals("rollback", StringComparison.OrdinalIgnoreCase);
        public bool HasRunnable => Steps.Count + Rollback.Count > 0;

        public IReadOnlyList<string> Group()
        {
            var group = new List<string>();
            for (var p = Parent; p is not null && p.Level > 0; p = p.Parent)
            {
                group.Insert(0, p.Title);
            }

            return group;
        }
    }

    private static List<Section> ReadSections(MarkdownDocument document, string untitled, List<RunbookDiagnostic> diagnostics)
    {
        var blocks = document.Descendants().Where(b => b is HeadingBlock or FencedCodeBlock).OrderBy(b => b.Line).ToList();
        var preamble = new Section(string.IsNullOrWhiteSpace(untitled) ? "runbook" : untitled, 0, 1, null);
        var sections = new List<Section> { preamble };
        var current = preamble;
        foreach (var block in blocks)
        {
            if (block is HeadingBlock heading)
            {
                var parent = current;
                while (parent is not null && parent.Level >= heading.Level)
                {
                    parent = parent.Parent;
                }

                current = new Section(InlineText(heading.Inline).Trim(), heading.Level, heading.Line + 1, parent ?? preamble);
                sections.Add(current);
            }
            else if (block is FencedCodeBlock fence && ReadStep(fence, diagnostics) is { } step)
            {
                (step.Step.IsRollback || current.IsRollbackHeading ? current.Rollback : current.Steps).Add(step);
            }
        }

        return sections;
    }

    private static Draft? ReadStep(FencedCodeBlock fence, List<RunbookDiagnostic> diagnostics)
    {
        var info = fence.Info ?? "";
        var arguments = fence.Arguments ?? "";
        var brace = info.IndexOf('{', StringComparison.Ordinal);
        if (brace >= 0)
        {
            arguments = info[brace..] + " " + arguments;
            info = info[..brace];
        }

        if (StepShells.Of(info) is null)
        {
            return null;
        }

        var line = fence.Line + 1;
        var language = info.ToLowerInvariant();
        var codeLines = new List<(string Text, int Line)>();
        for (var i = 0; i < fence.Lines.Count; i++)
        {
            codeLines.Add((fence.Lines.Lines[i].ToString(), line + 1 + i));
        }

        if (codeLines.All(l => string.IsNullOrWhiteSpace(l.Text)))
        {
            return null;
        }

        if (fence.ClosingFencedCharCount == 0)
        {
            diagnostics.Add(new(line, $"code fence opened on line {line} is never closed; it runs to the end of the file"));
        }

        // Python and PowerShell blocks are scripts as written: prompts and output are a shell runbook's convention.
        var (reading, commands, output) = StepShells.IsShell(language) ? PromptStyle.Read(language, codeLines) : (BlockReading.Script, codeLines, new List<RunbookOutputLine>());
        if (reading == BlockReading.Output)
        {
            diagnostics.Add(new(line, $"the console block on line {line} has no `$ ` prompt and reads as output, so it is shown, not run")
            {
                Rule = RunbookLinter.ConsoleOutput,
            });
            return null;
        }

        codeLines = commands;
        if (codeLines.All(l => string.IsNullOrWhiteSpace(l.Text)))
        {
            return null;
        }

        var errors = new List<string>();
        var attributes = RunbookAttributes.Parse(arguments, errors);
        diagnostics.AddRange(errors.Select(e => new RunbookDiagnostic(line, e)));

        var step = new RunbookStep(0, language, string.Join('\n', codeLines.Select(l => l.Text)), Describe(codeLines), attributes, line)
        {
            SourceLines = codeLines.Select(l => l.Line).ToList(),
            Reading = reading,
            Output = output,
        };
        return new Draft(step, codeLines);
    }

    private static string? Describe(List<(string Text, int Line)> lines)
    {
        var description = new List<string>();
        foreach (var (text, _) in lines)
        {
            var t = text.Trim();
            if (t.StartsWith("#!", StringComparison.Ordinal) && description.Count == 0)
            {
                continue;
            }

            if (!t.StartsWith('#'))
            {
                break;
            }

            description.Add(t.TrimStart('#').Trim());
        }

        var result = string.Join('\n', description).Trim();
        return result.Length == 0 ? null : result;
    }

    private static List<RunbookProcedure> BuildProcedures(List<Section> sections, List<(string Slug, int Index, bool InRollback, Draft Draft)> placed, CommandTable commands)
    {
        // A "Rollback" heading hands its steps to the nearest enclosing procedure, if there is one.
        foreach (var section in sections.Where(s => s.IsRollbackHeading && s.HasRunnable))
        {
            var owner = section.Parent;
            while (owner is not null && owner.Steps.Count == 0)
            {
                owner = owner.Parent;
            }

            if (owner is not null && owner.Level > 0)
            {
                owner.Rollback.AddRange(section.Rollback);
                section.Rollback.Clear();
            }
        }

        var procedures = new List<RunbookProcedure>();
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var slugOf = new Dictionary<Section, string>();
        foreach (var s in sections.Where(s => s.HasRunnable))
        {
            var steps = s.IsRollbackHeading ? s.Rollback : s.Steps;
            var rollback = s.IsRollbackHeading ? [] : s.Rollback;
            var slug = UniqueSlug(s.Title, slugs);
            slugOf[s] = slug;
            var parent = s.Parent;
            while (parent is not null && !slugOf.ContainsKey(parent))
            {
                parent = parent.Parent;
            }

            placed.AddRange(steps.Select((d, i) => (slug, i + 1, false, d)));
            placed.AddRange(rollback.Select((d, i) => (slug, i + 1, true, d)));
            procedures.Add(new RunbookProcedure(
                s.Title, slug, s.Level, s.Group(), s.Line,
                steps.Select((d, i) => d.Step with { Index = i + 1, Commands = commands }).ToList(),
                rollback.Select((d, i) => d.Step with { Index = i + 1, Commands = commands }).ToList())
            {
                // Blocks before the first heading (level 0) hold every heading, so they are nobody's parent.
                Parent = parent is { Level: > 0 } ? slugOf[parent] : null,
            });
        }

        return procedures;
    }

    private static string UniqueSlug(string title, HashSet<string> taken)
    {
        var sb = new StringBuilder();
        foreach (var c in title.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if ((char.IsWhiteSpace(c) || c is '-' or '_' or '/' or '.') && sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var slug = sb.ToString().Trim('-');
        if (slug.Length == 0)
        {
            slug = "procedure";
        }

        var unique = slug;
        for (var n = 2; !taken.Add(unique); n++)
        {
            unique = $"{slug}-{n}";
        }

        return unique;
    }

    private sealed class ParameterBuilder(string name, RunbookParameterKind kind, RunbookParamDeclaration? declaration)
    {
        public string Name { get; } = name;
        public RunbookParameterKind Kind { get; } = kind;
        public RunbookParamDeclaration? Declaration { get; } = declaration;
        public List<RunbookParameterUse> Uses { get; } = [];
    }

    private static List<RunbookParameter> CollectParameters(RunbookMetadata metadata, List<(string Slug, int Index, bool InRollback, Draft Draft)> placed)
    {
        var byName = new Dictionary<string, ParameterBuilder>(StringComparer.Ordinal);
        var order = new List<ParameterBuilder>();
        void Add(string name, RunbookParameterKind kind, RunbookParamDeclaration? declaration, RunbookParameterUse? use)
        {
            if (!byName.TryGetValue(name, out var p))
            {
                p = new ParameterBuilder(name, kind, declaration);
                byName[name] = p;
                order.Add(p);
            }

            if (use is not null && !p.Uses.Contains(use))
            {
                p.Uses.Add(use);
            }
        }

        foreach (var declared in metadata.Params)
        {
            Add(declared.Name, RunbookParameterKind.Declared, declared, null);
        }

        foreach (var (slug, index, inRollback, draft) in placed)
        {
            if (!StepShells.IsShell(draft.Step.Language))
            {
                // A python or pwsh step gets no rewriting: it uses a declared parameter by reading its environment variable.
                foreach (var declared in metadata.Params)
                {
                    var env = EnvVarName(declared.Name);
                    var at = draft.Lines.FindIndex(l => l.Text.Contains(env, StringComparison.Ordinal));
                    if (at >= 0)
                    {
                        Add(declared.Name, RunbookParameterKind.Declared, declared, new RunbookParameterUse(slug, index, inRollback, draft.Lines[at].Line));
                    }
                }

                continue;
            }

            foreach (var reference in FindReferences(draft.Step.Code))
            {
                Add(reference.Name, reference.Kind, null, new RunbookParameterUse(slug, index, inRollback, draft.Lines[reference.CodeLine].Line));
            }
        }

        return order.Select(p => new RunbookParameter(p.Name, p.Kind, p.Declaration, p.Uses)).ToList();
    }

    /// <summary>
    /// The parameter references in <paramref name="code"/>, in order: placeholders anywhere bash reads them (not in
    /// comments, not escaped, not in a quoted here-document), and <c>$VAR</c>s where bash expands them that the code
    /// does not assign itself and that are not well known (<c>HOME</c>, <c>PATH</c>…). Quoting is read across the
    /// whole block (<see cref="ShellQuoting"/>). Shared by the parser (uses) and the planner (rewriting), so both agree.
    /// </summary>
    internal static List<ParameterReference> FindReferences(string code)
    {
        var contexts = ShellQuoting.Scan(code);
        var lines = code.Split('\n');
        var assigned = AssignedVariables(lines);
        var lineStarts = new int[lines.Length];
        for (var i = 1; i < lines.Length; i++)
        {
            lineStarts[i] = lineStarts[i - 1] + lines[i - 1].Length + 1;
        }

        ParameterReference Reference(Match m, string name, RunbookParameterKind kind)
        {
            var line = Array.BinarySearch(lineStarts, m.Index);
            return new(m.Index, m.Length, line >= 0 ? line : ~line - 1, name, kind, contexts[m.Index]);
        }

        var placeholderText = ShellQuoting.Mask(code, contexts, c => c is ShellContext.Comment or ShellContext.Escaped or ShellContext.HeredocLiteral);
        var expansionText = ShellQuoting.Mask(code, contexts, c => c is not (ShellContext.Unquoted or ShellContext.DoubleQuoted or ShellContext.Heredoc));
        var placeholders = Placeholder().Matches(placeholderText)
            .Select(m => Reference(m, m.Groups[1].Value, RunbookParameterKind.Placeholder));
        var variables = Variable().Matches(expansionText)
            .Select(m => Reference(m, m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, RunbookParameterKind.Variable))
            .Where(v => !assigned.Contains(v.Name) && !WellKnownVariables.Contains(v.Name) && !v.Name.StartsWith("VIGIL_", StringComparison.Ordinal));
        return placeholders.Concat(variables).OrderBy(r => r.Start).ToList();
    }

    private static HashSet<string> AssignedVariables(IEnumerable<string> lines)
    {
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in lines)
        {
            if (text.TrimStart().StartsWith('#'))
            {
                continue;
            }

            foreach (Match m in Assignment().Matches(text))
            {
                assigned.Add(m.Groups[1].Value);
            }

            foreach (Match m in ForOrRead().Matches(text))
            {
                var names = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                foreach (var name in names.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(n => !n.StartsWith('-')))
                {
                    assigned.Add(name);
                }
            }
        }

        return assigned;
    }

    private static string InlineText(ContainerInline? container)
    {
        var sb = new StringBuilder();
        foreach (var inline in container ?? Enumerable.Empty<Inline>())
        {
            switch (inline)
            {
                case LiteralInline l: sb.Append(l.Content.ToString()); break;
                case CodeInline c: sb.Append(c.Content); break;
                case HtmlInline h: sb.Append(h.Tag); break; // "## Upgrade <svc>" keeps its placeholder
                case HtmlEntityInline e: sb.Append(e.Transcoded.ToString()); break;
                case LineBreakInline: sb.Append(' '); break;
                case ContainerInline nested: sb.Append(InlineText(nested)); break;
            }
        }

        return sb.ToString();
    }

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex NonIdentifierChar();

    [GeneratedRegex("<([A-Za-z][A-Za-z0-9_.-]*)>")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:(?:export|local|readonly|declare)\s+(?:-\w+\s+)*)?([A-Za-z_][A-Za-z0-9_]*)\+?=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"(?:^|[\s;&|(])(?:for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\b|read\s+((?:-\w+\s+)*[A-Za-z_][A-Za-z0-9_ ]*))")]
    private static partial Regex ForOrRead();
}
