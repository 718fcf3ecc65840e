using System.Text.RegularExpressions;

namespace Vigil.Core.Runbooks;

/// <summary>Filling a runbook template and recording the new runbook in the catalog's index table (pure).</summary>
public static partial class RunbookTemplates
{
    // Common operations acronyms: an id is lower case, so its title would otherwise read "Rotate Api Keys".
    private static readonly HashSet<string> Acronyms = new(StringComparer.OrdinalIgnoreCase)
    {
        "api", "aws", "az", "cd", "ci", "cpu", "db", "dns", "gcp", "gpu", "http", "https", "id", "io", "ip", "jvm", "k8s", "lb", "mtls", "oom",
        "os", "rpo", "rto", "s3", "sla", "slo", "sql", "ssh", "ssl", "tcp", "tls", "udp", "ui", "url", "vm", "vpn",
    };

    /// <summary>
    /// A title from what was typed: words keep their own capitals ("Rotate API keys" → "Rotate API Keys"), known acronyms are
    /// upper case ("rotate-api-keys" → "Rotate API Keys"), and other words start with a capital.
    /// </summary>
    public static string Title(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var words = name.Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(' ', words.Select(w => Acronyms.Contains(w) && w.Any(char.IsLower) && !w.Any(char.IsUpper)
            ? w.ToUpperInvariant()
            : char.ToUpperInvariant(w[0]) + w[1..]));
    }

    /// <summary>Replaces <c>{{key}}</c> (spaces inside the braces allowed) by its value; unknown keys stay as written.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        return Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
    }

    /// <summary>
    /// Adds a row for a new runbook to the first Markdown table of <paramref name="index"/>, after its last row. Columns are
    /// filled by their header: title, runbook or name → <c>[title](link)</c>; id, service, owner, category, date → the value;
    /// anything else stays empty. Null when the file has no table.
    /// </summary>
    public static string? AddIndexRow(string index, IReadOnlyDictionary<string, string> values, string link)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(values);
        var lines = index.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        var header = lines.FindIndex(l => l.TrimStart().StartsWith('|'));
        if (header < 0 || header + 1 >= lines.Count || !Separator().IsMatch(lines[header + 1]))
        {
            return null;
        }

        var last = header + 1;
        while (last + 1 < lines.Count && lines[last + 1].TrimStart().StartsWith('|'))
        {
            last++;
        }

        var cells = lines[header].Trim().Trim('|').Split('|').Select(c => c.Trim().ToLowerInvariant()).Select(c => c switch
        {
            "title" or "runbook" or "name" => $"[{values.GetValueOrDefault("title")}]({link})",
            "id" or "service" or "owner" or "category" or "date" => values.GetValueOrDefault(c) ?? "",
            _ => "",
        });
        lines.Insert(last + 1, "| " + string.Join(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_]+)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")]
    private static partial Regex Separator();
}
