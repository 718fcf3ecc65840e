using System.Text.RegularExpressions;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Vigil.Core.Config;

namespace Vigil.Core.Runbooks;

/// <summary>
/// The <c>vigil-lint</c> comments of a runbook and what they silence. In Markdown (an HTML comment on one line):
/// <c>&lt;!-- vigil-lint disable RULE[,RULE…] --&gt;</c> for the whole file, <c>disable-next-line</c> for the next
/// non-blank line (the whole block when that line opens a fence) and <c>disable-line</c> for the comment's own
/// line. In a fenced block: <c># vigil-lint disable-line RULE</c> at the end of a line and
/// <c># vigil-lint disable-next-line RULE</c> on its own line. <c>all</c> stands for every rule.
/// </summary>
internal sealed partial class LintSuppressions
{
    private const string All = "all";

    private readonly HashSet<string> _file = new(StringComparer.Ordinal);
    private readonly Dictionary<int, HashSet<string>> _lines = [];
    private readonly List<(int Line, string Message)> _problems = [];

    private LintSuppressions()
    {
    }

    /// <summary>Comments that could not be understood (unknown directive or rule), as (line, message).</summary>
    public IReadOnlyList<(int Line, string Message)> Problems => _problems;

    public static LintSuppressions Read(LintSource source, IReadOnlyCollection<string> knownRules)
    {
        var result = new LintSuppressions();
        foreach (var node in source.Document.Descendants())
        {
            switch (node)
            {
                case HtmlBlock block:
                    for (var i = 0; i < block.Lines.Count; i++)
                    {
                        result.ReadMarkdownComments(source, block.Lines.Lines[i].ToString(), block.Line + 1 + i, knownRules);
                    }

                    break;
                case HtmlInline inline:
                    result.ReadMarkdownComments(source, inline.Tag ?? "", source.LineOf(inline), knownRules);
                    break;
            }
        }

        foreach (var fence in source.Fences)
        {
            var first = fence.Line + 1;
            for (var i = 0; i < fence.Lines.Count; i++)
            {
                if (CodeComment().Match(fence.Lines.Lines[i].ToString()) is { Success: true } m)
                {
                    result.Apply(source, m.Groups["directive"].Value, m.Groups["rules"].Value, first + 1 + i, inCode: true, knownRules);
                }
            }
        }

        return result;
    }

    /// <summary>Whether a comment silences <paramref name="finding"/>.</summary>
    public bool Suppresses(LintFinding finding) =>
        Covers(_file, finding.Rule) || (_lines.TryGetValue(finding.Line, out var rules) && Covers(rules, finding.Rule));

    private static bool Covers(HashSet<string> rules, string rule) => rules.Contains(All) || rules.Contains(rule);

    private void ReadMarkdownComments(LintSource source, string text, int line, IReadOnlyCollection<string> knownRules)
    {
        for (var m = MarkdownComment().Match(text); m.Success; m = m.NextMatch())
        {
            Apply(source, m.Groups["directive"].Value, m.Groups["rules"].Value, line, inCode: false, knownRules);
        }
    }

    private void Apply(LintSource source, string directive, string ruleText, int line, bool inCode, IReadOnlyCollection<string> knownRules)
    {
        var rules = Rules(ruleText, line, knownRules);
        switch (directive)
        {
            case "disable" when !inCode:
                _file.UnionWith(rules);
                break;
            case "disable-line":
                Silence(line, rules);
                break;
            case "disable-next-line":
                if (source.NextNonBlankLine(line) is not { } next)
                {
                    break;
                }

                // In Markdown, the next line may open a fenced block; the comment then covers the block.
                var fence = inCode ? null : source.Fences.FirstOrDefault(f => f.Line + 1 == next);
                var (first, last) = fence is null ? (next, next) : LintSource.LinesOf(fence);
                for (var l = first; l <= last; l++)
                {
                    Silence(l, rules);
                }

                break;
            default:
                _problems.Add((line, inCode
                    ? $"unknown vigil-lint directive `{directive}` in code; write `# vigil-lint disable-line RULE` or `# vigil-lint disable-next-line RULE` (a file-wide `disable` belongs in an HTML comment)"
                    : $"unknown vigil-lint directive `{directive}`; write `<!-- vigil-lint disable RULE -->`, `disable-next-line` or `disable-line`"));
                break;
        }
    }

    private void Silence(int line, List<string> rules)
    {
        if (!_lines.TryGetValue(line, out var set))
        {
            _lines[line] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.UnionWith(rules);
    }

    // The rule ids of a comment; unknown ones become problems and are left out.
    private List<string> Rules(string text, int line, IReadOnlyCollection<string> knownRules)
    {
        var rules = new List<string>();
        var ids = text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length == 0)
        {
            _problems.Add((line, $"vigil-lint comment names no rule; name one of {string.Join(", ", knownRules)}, or `all`"));
        }

        foreach (var id in ids)
        {
            if (id == All || knownRules.Contains(id))
            {
                rules.Add(id);
            }
            else
            {
                var hint = Suggest.DidYouMean(id, knownRules);
                _problems.Add((line, $"unknown rule `{id}` in a vigil-lint comment (the rules are {string.Join(", ", knownRules)}, and `all`){hint}"));
            }
        }

        return rules;
    }

    [GeneratedRegex(@"<!--\s*vigil-lint\s+(?<directive>[\w-]+)(?<rules>[^>]*?)\s*-->", RegexOptions.CultureInvariant)]
    private static partial Regex MarkdownComment();

    [GeneratedRegex(@"(?:^|\s)#\s*vigil-lint\s+(?<directive>[\w-]+)(?<rules>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex CodeComment();
}
