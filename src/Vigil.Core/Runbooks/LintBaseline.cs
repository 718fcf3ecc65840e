using System.Text;
using System.Text.Json;

namespace Vigil.Core.Runbooks;

/// <summary>
/// The findings a project has accepted for now (<c>vigil runbook lint --write-baseline</c>), by fingerprint: later runs
/// report only findings that are not in it, as RuboCop's and ESLint's baselines do. The file is JSON, sorted, one
/// finding per entry with its rule, file, line and message beside the fingerprint so that a review can read it.
/// </summary>
public sealed class LintBaseline
{
    private const int Version = 1;

    private readonly Dictionary<string, int> _fingerprints;

    private LintBaseline(Dictionary<string, int> fingerprints) => _fingerprints = fingerprints;

    /// <summary>How many findings the baseline holds.</summary>
    public int Count => _fingerprints.Values.Sum();

    /// <summary>The baseline file's text for <paramref name="findings"/>.</summary>
    public static string Write(IEnumerable<LintFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("vigil_lint_baseline", Version);
            json.WriteStartArray("findings");
            foreach (var f in findings.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Rule, StringComparer.Ordinal).ThenBy(f => f.Fingerprint, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("fingerprint", f.Fingerprint);
                json.WriteString("rule", f.Rule);
                json.WriteString("file", f.File);
                json.WriteNumber("line", f.Line);
                json.WriteString("message", f.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Reads a baseline file's <paramref name="text"/>; null with <paramref name="error"/> (naming <paramref name="path"/>) when it is not one.</summary>
    public static LintBaseline? Read(string text, string path, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        var fix = "write it again with `vigil runbook lint --write-baseline`";
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("vigil_lint_baseline", out var version) || version.ValueKind != JsonValueKind.Number)
            {
                error = $"{path} is not a vigil lint baseline (it has no \"vigil_lint_baseline\" version); {fix}";
                return null;
            }

            if (version.GetDouble() != Version)
            {
                error = $"{path} is a baseline of version {version.GetRawText()}, and this vigil reads version {Version}; {fix}";
                return null;
            }

            var fingerprints = new Dictionary<string, int>(StringComparer.Ordinal);
            if (!root.TryGetProperty("findings", out var findings) || findings.ValueKind != JsonValueKind.Array)
            {
                error = $"{path}: \"findings\" must be a list; {fix}";
                return null;
            }

            var i = 0;
            foreach (var finding in findings.EnumerateArray())
            {
                if (finding.ValueKind != JsonValueKind.Object || !finding.TryGetProperty("fingerprint", out var fp) || fp.ValueKind != JsonValueKind.String || fp.GetString() is not { Length: > 0 } value)
                {
                    error = $"{path}: finding {i + 1} has no \"fingerprint\"; {fix}";
                    return null;
                }

                fingerprints[value] = fingerprints.GetValueOrDefault(value) + 1;
                i++;
            }

            error = null;
            return new LintBaseline(fingerprints);
        }
        catch (JsonException ex)
        {
            error = $"{path} is not valid JSON (line {ex.LineNumber + 1}): {ex.Message}; {fix}";
            return null;
        }
    }

    /// <summary>The findings the baseline does not hold, and how many it held (each baselined fingerprint covers one finding).</summary>
    public (IReadOnlyList<LintFinding> New, int Known) Filter(IEnumerable<LintFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var left = new Dictionary<string, int>(_fingerprints, StringComparer.Ordinal);
        var fresh = new List<LintFinding>();
        var known = 0;
        foreach (var f in findings)
        {
            if (left.TryGetValue(f.Fingerprint, out var n) && n > 0)
            {
                left[f.Fingerprint] = n - 1;
                known++;
            }
            else
            {
                fresh.Add(f);
            }
        }

        return (fresh, known);
    }
}
