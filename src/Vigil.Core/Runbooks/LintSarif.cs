using System.Text;
using System.Text.Json;

namespace Vigil.Core.Runbooks;

/// <summary>
/// Lint findings as a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format), which CI systems and code
/// hosts show inline: one run of the tool <c>vigil</c>, every rule with its default level, every finding with its
/// location, its fix in the message and its fingerprint as <c>partialFingerprints["vigil/v1"]</c>. Levels: error →
/// <c>error</c>, warning → <c>warning</c>, info → <c>note</c>.
/// </summary>
public static class LintSarif
{
    /// <summary>The SARIF text for <paramref name="findings"/>; <paramref name="uriOf"/> turns a finding's file into the relative path shown (with <c>/</c>).</summary>
    public static string Write(IEnumerable<LintFinding> findings, IReadOnlyList<LintRule> rules, string toolVersion, Func<string, string> uriOf)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(toolVersion);
        ArgumentNullException.ThrowIfNull(uriOf);
        var index = rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", "vigil");
            json.WriteString("version", toolVersion);
            json.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                json.WriteStartObject();
                json.WriteString("id", rule.Id);
                json.WriteStartObject("shortDescription");
                json.WriteString("text", rule.Summary);
                json.WriteEndObject();
                json.WriteStartObject("defaultConfiguration");
                json.WriteString("level", Level(rule.Severity));
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("columnKind", "utf16CodeUnits");
            json.WriteStartArray("results");
            foreach (var f in findings)
            {
                json.WriteStartObject();
                json.WriteString("ruleId", f.Rule);
                if (index.TryGetValue(f.Rule, out var i))
                {
                    json.WriteNumber("ruleIndex", i);
                }

                json.WriteString("level", Level(f.Severity));
                json.WriteStartObject("message");
                json.WriteString("text", f.Message + "\nfix: " + f.Fix);
                json.WriteEndObject();
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartObject("physicalLocation");
                json.WriteStartObject("artifactLocation");
                json.WriteString("uri", Uri(uriOf(f.File)));
                json.WriteString("uriBaseId", "%SRCROOT%");
                json.WriteEndObject();
                json.WriteStartObject("region");
                json.WriteNumber("startLine", Math.Max(1, f.Line));
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
                if (f.Fingerprint.Length > 0)
                {
                    json.WriteStartObject("partialFingerprints");
                    json.WriteString("vigil/v1", f.Fingerprint);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Level(LintSeverity severity) => severity switch
    {
        LintSeverity.Error => "error",
        LintSeverity.Info => "note",
        _ => "warning",
    };

    // A relative URI reference: each path segment escaped, '/' between them.
    private static string Uri(string path) =>
        string.Join('/', path.Replace('\\', '/').Split('/').Select(System.Uri.EscapeDataString));
}
