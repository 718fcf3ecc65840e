using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Vigil.Core.Config;

namespace Vigil.Core.Tests.Config;

/// <summary>
/// Keeps the key reference in docs/configuration.md generated from the option classes. After
/// adding or changing a config property, run the tests with VIGIL_UPDATE_DOCS=1 to rewrite it.
/// </summary>
public sealed partial class ConfigReferenceDocsTests
{
    private const string Begin = "<!-- BEGIN GENERATED REFERENCE (ConfigReferenceDocsTests; VIGIL_UPDATE_DOCS=1 regenerates) -->";
    private const string End = "<!-- END GENERATED REFERENCE -->";

    [Fact]
    public void ConfigurationDoc_GeneratedReference_IsUpToDate()
    {
        var docPath = Path.Combine(RepoRoot.Find(), "docs", "configuration.md");
        var doc = File.ReadAllText(docPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = doc.IndexOf(Begin, StringComparison.Ordinal);
        var end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/configuration.md must contain the markers {Begin} and {End}");

        var generated = "\n" + ConfigReference.ToMarkdown(LoadSummaries()) + "\n";
        var current = doc[(start + Begin.Length)..end];
        if (Environment.GetEnvironmentVariable("VIGIL_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(docPath, doc[..(start + Begin.Length)] + generated + doc[end..]);
            return;
        }

        Assert.True(current == generated, "docs/configuration.md key reference is out of date; run the tests with VIGIL_UPDATE_DOCS=1 and commit the result");
    }

    [Fact]
    public void ConfigReference_EveryKey_HasADescription()
    {
        var summaries = LoadSummaries();

        var markdown = ConfigReference.ToMarkdown(summaries);

        var undocumented = markdown.Split('\n').Where(line => line.StartsWith("| `", StringComparison.Ordinal) && line.EndsWith(" |  |", StringComparison.Ordinal)).ToList();
        Assert.True(undocumented.Count == 0, "keys without an XML doc summary:\n" + string.Join("\n", undocumented));
    }

    private static Func<string, string?> LoadSummaries()
    {
        var xmlPath = Path.Combine(AppContext.BaseDirectory, "Vigil.Core.xml");
        var members = XDocument.Load(xmlPath).Descendants("member")
            .Where(m => m.Attribute("name") is not null && m.Element("summary") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, m => ToMarkdown(m.Element("summary")!));
        return id => members.TryGetValue(id, out var text) ? text : null;
    }

    private static string ToMarkdown(XElement summary)
    {
        var sb = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            switch (node)
            {
                case XText text:
                    sb.Append(text.Value);
                    break;
                case XElement { Name.LocalName: "c" } code:
                    sb.Append('`').Append(code.Value).Append('`');
                    break;
                case XElement { Name.LocalName: "see" } see:
                    var target = see.Attribute("langword")?.Value ?? see.Attribute("cref")?.Value.Split('.', ':').Last() ?? see.Value;
                    sb.Append('`').Append(target).Append('`');
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } reference:
                    sb.Append('`').Append(reference.Attribute("name")?.Value).Append('`');
                    break;
                case XElement other:
                    sb.Append(other.Value);
                    break;
            }
        }

        return Whitespace().Replace(sb.ToString(), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
