using Markdig;
using Markdig.Extensions.TaskLists;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Vigil.Core.Incidents;

/// <summary>Reads the <c>- [ ] item</c> lines of a Markdown checklist (task lists inside code blocks do not count).</summary>
public static class Checklists
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseTaskLists().Build();

    /// <summary>Most items taken from one checklist.</summary>
    public const int MaxItems = 100;

    public static IReadOnlyList<string> Parse(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var items = new List<string>();
        foreach (var paragraph in Markdown.Parse(markdown, Pipeline).Descendants<ParagraphBlock>())
        {
            if (paragraph.Parent is not ListItemBlock || paragraph.Inline?.FirstChild is not TaskList)
            {
                continue;
            }

            var text = InlineText(paragraph.Inline).Trim();
            if (text.Length > 0 && items.Count < MaxItems)
            {
                items.Add(text.Length > 500 ? text[..500] : text);
            }
        }

        return items;
    }

    private static string InlineText(ContainerInline container)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline l: sb.Append(l.Content.ToString()); break;
                case CodeInline c: sb.Append('`').Append(c.Content).Append('`'); break;
                case LineBreakInline: sb.Append(' '); break;
                case ContainerInline nested: sb.Append(InlineText(nested)); break;
            }
        }

        return sb.ToString();
    }
}
