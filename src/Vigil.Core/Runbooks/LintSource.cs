using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Vigil.Core.Runbooks;

/// <summary>A runbook's text as the linter reads it: its lines, its Markdown tree and its front matter's extent.</summary>
internal sealed class LintSource
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build();

    private readonly int[] _lineStarts;
    private List<(int Line, int Level, string Text)>? _headings;

    public LintSource(string markdown)
    {
        // Split exactly as RunbookParser does, so line numbers agree with the parsed model.
        Lines = markdown.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n');

        // The front matter reader blanks the lines it consumed; the last line it changed is the closing '---'.
        var body = (string[])Lines.Clone();
        RunbookFrontMatter.Extract(body, []);
        FrontMatterEnd = -1;
        for (var i = body.Length - 1; i >= 0 && FrontMatterEnd < 0; i--)
        {
            if (!string.Equals(body[i], Lines[i], StringComparison.Ordinal))
            {
                FrontMatterEnd = i;
            }
        }

        Document = Markdown.Parse(string.Join('\n', body), Pipeline);
        Fences = Document.Descendants<FencedCodeBlock>().ToList();
        _lineStarts = new int[Lines.Length];
        for (var i = 1; i < Lines.Length; i++)
        {
            _lineStarts[i] = _lineStarts[i - 1] + Lines[i - 1].Length + 1;
        }
    }

    /// <summary>The source lines; index 0 is line 1.</summary>
    public string[] Lines { get; }

    /// <summary>The Markdown tree (front matter blanked, so line numbers are the file's).</summary>
    public MarkdownDocument Document { get; }

    /// <summary>Every fenced block, runnable or not.</summary>
    public IReadOnlyList<FencedCodeBlock> Fences { get; }

    /// <summary>The 0-based index of the front matter's closing line, or -1 when there is no front matter.</summary>
    public int FrontMatterEnd { get; }

    public bool HasFrontMatter => FrontMatterEnd > 0;

    /// <summary>The 1-based line of the top-level front matter key <paramref name="key"/>, or null.</summary>
    public int? FrontMatterLine(string key)
    {
        for (var i = 1; i < FrontMatterEnd; i++)
        {
            var line = Lines[i];
            if (line.StartsWith(key, StringComparison.Ordinal) && line.AsSpan(key.Length).TrimStart().StartsWith(":"))
            {
                return i + 1;
            }
        }

        return null;
    }

    /// <summary>
    /// The 1-based line of an inline (a link, an HTML comment). Markdig's own <c>Line</c> of an inline is wrong
    /// inside a setext heading (it counts from the underline), but its <c>Span</c> is right.
    /// </summary>
    public int LineOf(Inline inline)
    {
        var index = Array.BinarySearch(_lineStarts, Math.Max(0, inline.Span.Start));
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    /// <summary>The 1-based first and last lines of <paramref name="fence"/>, its fences included.</summary>
    public static (int First, int Last) LinesOf(FencedCodeBlock fence)
    {
        var first = fence.Line + 1;
        return (first, first + fence.Lines.Count + (fence.ClosingFencedCharCount > 0 ? 1 : 0));
    }

    /// <summary>The texts of the headings whose sections hold the 1-based <paramref name="line"/>, outermost first, joined by " > ".</summary>
    public string HeadingPath(int line)
    {
        _headings ??= Document.Descendants<HeadingBlock>()
            .Select(h => (Line: h.Line + 1, h.Level, Text: h.Line < Lines.Length ? Lines[h.Line].Trim().TrimStart('#').Trim() : ""))
            .ToList();
        var path = new List<(int Level, string Text)>();
        foreach (var heading in _headings)
        {
            if (heading.Line > line)
            {
                break;
            }

            while (path.Count > 0 && path[^1].Level >= heading.Level)
            {
                path.RemoveAt(path.Count - 1);
            }

            path.Add((heading.Level, heading.Text));
        }

        return string.Join(" > ", path.Select(p => p.Text));
    }

    /// <summary>The 1-based line of the first non-blank line after <paramref name="line"/>, or null.</summary>
    public int? NextNonBlankLine(int line)
    {
        for (var i = line; i < Lines.Length; i++)
        {
            if (!string.IsNullOrWhiteSpace(Lines[i]))
            {
                return i + 1;
            }
        }

        return null;
    }
}
