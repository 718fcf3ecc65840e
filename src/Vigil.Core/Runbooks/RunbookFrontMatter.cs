using System.Globalization;
using System.Text.RegularExpressions;
using Vigil.Core.Config;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vigil.Core.Runbooks;

/// <summary>Splits off and reads the YAML front matter of a runbook. Bad front matter becomes diagnostics.</summary>
internal static class RunbookFrontMatter
{
    private static readonly HashSet<string> KnownKeys =
        ["id", "title", "service", "owner", "category", "last_reviewed", "review_every", "params", "tags", "vigil", "drill"];

    /// <summary>
    /// Keys static-site generators put in front matter (Hugo and its Book and Geekdoc themes, Jekyll and Just the Docs,
    /// MkDocs Material, Docusaurus), and other spellings of a title. A runbook that is also a site page is normal, so
    /// these raise no diagnostic; a project ignores more with <c>runbooks.lint.ignore_front_matter_keys</c>.
    /// </summary>
    internal static readonly HashSet<string> ForeignKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        // Hugo
        "weight", "draft", "date", "lastmod", "publishDate", "expiryDate", "description", "summary", "aliases", "slug", "url", "linkTitle",
        "menu", "layout", "type", "toc", "keywords", "categories", "series", "images", "author", "authors", "cascade", "outputs", "resources",
        "headless", "isCJKLanguage", "markup", "sitemap", "translationKey", "build", "params_hugo",
        "bookCollapseSection", "bookFlatSection", "bookHidden", "bookToc", "bookComments", "bookSearchExclude", "bookHref",
        "geekdocCollapseSection", "geekdocHidden", "geekdocFlatSection", "geekdocNav", "geekdocAnchor",
        // Jekyll, Just the Docs
        "permalink", "published", "excerpt", "nav_order", "parent", "grand_parent", "has_children", "nav_exclude", "redirect_from", "redirect_to",
        // MkDocs Material
        "hide", "template", "search", "status", "icon", "subtitle",
        // Docusaurus
        "sidebar_position", "sidebar_label", "sidebar_class_name", "hide_title", "hide_table_of_contents", "pagination_label",
        "displayed_sidebar", "custom_edit_url", "image", "last_update", "unlisted",
        // other spellings of a title
        "page_title", "sidebar_title", "navTitle", "nav_title", "short_title", "shortTitle", "title_tag", "heading", "name",
    };

    /// <summary>Reads front matter from <paramref name="lines"/> and blanks those lines so Markdown line numbers stay true.</summary>
    public static RunbookMetadata Extract(string[] lines, List<RunbookDiagnostic> diagnostics)
    {
        if (lines.Length == 0 || lines[0].TrimEnd() != "---")
        {
            return RunbookMetadata.Empty;
        }

        var end = Array.FindIndex(lines, 1, l => l.TrimEnd() is "---" or "...");
        if (end < 0)
        {
            diagnostics.Add(new(1, "front matter starts with '---' but is never closed; it is read as Markdown"));
            return RunbookMetadata.Empty;
        }

        var yaml = string.Join('\n', lines[1..end]);
        for (var i = 0; i <= end; i++)
        {
            lines[i] = "";
        }

        YamlNode? root;
        var parser = new DepthLimitedParser(new Parser(new StringReader(yaml)));
        try
        {
            // Depth-limited like the config: the representation model loads recursively, and front matter of
            // a hundred thousand '[' would otherwise overflow the stack.
            var stream = new YamlStream();
            stream.Load(parser);
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException ex)
        {
            diagnostics.Add(new(LineOf(ex.Start), $"front matter is not valid YAML: {ex.Message}"));
            return RunbookMetadata.Empty;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet throws these, not a YamlException, for some malformed streams: a tab before a
            // mapping key's colon, a byte order mark inside an unclosed flow sequence.
            diagnostics.Add(new(parser.Current is { } at ? LineOf(at.Start) : 1, $"front matter is not valid YAML: {ex.Message}"));
            return RunbookMetadata.Empty;
        }

        if (root is null || root is YamlScalarNode { Value: null or "" })
        {
            return RunbookMetadata.Empty;
        }

        if (root is not YamlMappingNode map)
        {
            diagnostics.Add(new(LineOf(root.Start), "front matter must be a mapping of keys to values"));
            return RunbookMetadata.Empty;
        }

        return Read(map, diagnostics);
    }

    private static RunbookMetadata Read(YamlMappingNode map, List<RunbookDiagnostic> diagnostics)
    {
        string? Text(string key)
        {
            if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                return null;
            }

            if (node is YamlScalarNode s)
            {
                return string.IsNullOrWhiteSpace(s.Value) ? null : s.Value.Trim();
            }

            diagnostics.Add(new(LineOf(node.Start), $"front matter '{key}' must be text"));
            return null;
        }

        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } k })
            {
                diagnostics.Add(new(LineOf(key.Start), $"unknown front matter key '{key}'"));
            }
            else if (!KnownKeys.Contains(k) && !ForeignKeys.Contains(k))
            {
                diagnostics.Add(new(LineOf(key.Start), $"unknown front matter key '{k}'{Suggest.DidYouMean(k, KnownKeys)}") { FrontMatterKey = k });
            }
        }

        var executable = false;
        if (Text("vigil") is { } mark)
        {
            if (mark == "executable")
            {
                executable = true;
            }
            else
            {
                diagnostics.Add(new(LineOf(map.Children[new YamlScalarNode("vigil")].Start), $"front matter 'vigil: {mark}' is not understood; write `vigil: executable` to mark a runbook the team runs through Vigil"));
            }
        }

        DateOnly? lastReviewed = null;
        if (Text("last_reviewed") is { } reviewed)
        {
            if (DateOnly.TryParseExact(reviewed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                lastReviewed = d;
            }
            else
            {
                diagnostics.Add(new(LineOf(map.Children[new YamlScalarNode("last_reviewed")].Start), $"last_reviewed '{reviewed}' is not a date like 2025-01-31"));
            }
        }

        return new RunbookMetadata(
            Text("id"), Text("title"), Text("service"), Text("owner"), Text("category"), lastReviewed, Text("review_every"),
            ReadParams(map, diagnostics), ReadTags(map, diagnostics))
        {
            Executable = executable,
            Drill = ReadDrill(map, diagnostics),
        };
    }

    private static DrillSpec? ReadDrill(YamlMappingNode map, List<RunbookDiagnostic> diagnostics)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode("drill"), out var node))
        {
            return null;
        }

        if (node is not YamlMappingNode drill)
        {
            diagnostics.Add(new(LineOf(node.Start), "front matter 'drill' must be a mapping: { checks: [health], detect_within: 5m, recover_within: 10m }"));
            return null;
        }

        var checks = new List<string>();
        TimeSpan? detect = null, recover = null;
        foreach (var (keyNode, value) in drill.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            switch (key)
            {
                case "checks":
                    if (value is YamlSequenceNode list && list.All(i => i is YamlScalarNode { Value.Length: > 0 }))
                    {
                        checks.AddRange(list.Cast<YamlScalarNode>().Select(i => i.Value!.Trim()));
                    }
                    else if (value is YamlScalarNode { Value.Length: > 0 } one)
                    {
                        checks.Add(one.Value.Trim());
                    }
                    else
                    {
                        diagnostics.Add(new(LineOf(value.Start), "drill 'checks' must be a list of check ids of the runbook's service, like [health]"));
                    }

                    break;
                case "detect_within" or "recover_within":
                    if (value is YamlScalarNode { Value: { } text } && Duration.TryParse(text, out var d) && d > TimeSpan.Zero && d <= TimeSpan.FromDays(1))
                    {
                        if (key == "detect_within")
                        {
                            detect = d;
                        }
                        else
                        {
                            recover = d;
                        }
                    }
                    else
                    {
                        diagnostics.Add(new(LineOf(value.Start), $"drill '{key}' must be a duration between 1s and 1d, like 5m"));
                    }

                    break;
                default:
                    diagnostics.Add(new(LineOf(keyNode.Start), $"unknown drill key '{key}'{Suggest.DidYouMean(key, ["checks", "detect_within", "recover_within"])}"));
                    break;
            }
        }

        return new DrillSpec(checks, detect, recover);
    }

    private static List<RunbookParamDeclaration> ReadParams(YamlMappingNode map, List<RunbookDiagnostic> diagnostics)
    {
        var result = new List<RunbookParamDeclaration>();
        if (!map.Children.TryGetValue(new YamlScalarNode("params"), out var node))
        {
            return result;
        }

        if (node is not YamlSequenceNode seq)
        {
            diagnostics.Add(new(LineOf(node.Start), "front matter 'params' must be a list"));
            return result;
        }

        foreach (var item in seq)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } bare })
            {
                result.Add(new(bare.Trim(), null, null, null, false));
                continue;
            }

            if (item is not YamlMappingNode p)
            {
                diagnostics.Add(new(LineOf(item.Start), "each entry of 'params' must be a name or a mapping"));
                continue;
            }

            string? Field(string key) =>
                p.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s && !string.IsNullOrEmpty(s.Value) ? s.Value : null;

            var name = Field("name")?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                diagnostics.Add(new(LineOf(item.Start), "a parameter in 'params' has no name"));
                continue;
            }

            var pattern = Field("pattern");
            if (pattern is not null && !IsValidRegex(pattern))
            {
                diagnostics.Add(new(LineOf(item.Start), $"parameter '{name}' has an invalid pattern '{pattern}'"));
                pattern = null;
            }

            var secretText = Field("secret");
            var secret = false;
            if (secretText is not null && !bool.TryParse(secretText, out secret))
            {
                diagnostics.Add(new(LineOf(item.Start), $"parameter '{name}': secret '{secretText}' is not true or false"));
            }

            result.Add(new(name, Field("description"), Field("default"), pattern, secret));
        }

        return result;
    }

    private static List<string> ReadTags(YamlMappingNode map, List<RunbookDiagnostic> diagnostics)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode("tags"), out var node))
        {
            return [];
        }

        return node switch
        {
            YamlSequenceNode seq => seq.OfType<YamlScalarNode>().Select(s => s.Value?.Trim() ?? "").Where(s => s.Length > 0).ToList(),
            YamlScalarNode s => (s.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
            _ => Fail(),
        };

        List<string> Fail()
        {
            diagnostics.Add(new(LineOf(node.Start), "front matter 'tags' must be a list"));
            return [];
        }
    }

    private static bool IsValidRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // YAML marks are 1-based within the front matter, which begins on source line 2.
    private static int LineOf(Mark mark) => (int)Math.Max(1, mark.Line) + 1;
}
