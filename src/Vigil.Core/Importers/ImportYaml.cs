using System.Globalization;
using System.Text;
using System.Text.Json;
using Vigil.Core.Config;

namespace Vigil.Core.Importers;

/// <summary>
/// Writes an <see cref="ImportResult"/> as a <c>vigil.yaml</c> fragment (people, schedules,
/// escalation_policies, services, notifiers) meant to be included from a vigil.yaml, and checks it
/// with the same loader and validator as <c>vigil config validate</c>.
/// </summary>
public static class ImportYaml
{
    /// <summary>The root section the check puts in front of the fragment (a fragment has no <c>vigil:</c> of its own).</summary>
    private const string CheckHeader = "vigil:\n  name: import-check\n";

    public static string VendorName(ImportVendor vendor) => vendor switch
    {
        ImportVendor.PagerDuty => "PagerDuty",
        ImportVendor.Opsgenie => "Opsgenie",
        _ => "Grafana OnCall",
    };

    public static string Write(ImportResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var y = new StringBuilder();
        y.Append("# Imported from ").Append(VendorName(result.Vendor)).Append(" by `vigil import`. Include this file from your vigil.yaml\n");
        y.Append("# (include: [this-file.yaml]). Read the import report for what was not mapped.\n");
        if (result.People.Count > 0)
        {
            y.Append("people:\n");
            foreach (var p in result.People)
            {
                y.Append("  - id: ").Append(p.Id).Append('\n');
                y.Append("    name: ").Append(Q(p.Name)).Append('\n');
                Opt(y, "    email", p.Email);
                Opt(y, "    phone", p.Phone);
                y.Append("    timezone: ").Append(Q(p.Timezone)).Append('\n');
            }
        }

        if (result.Schedules.Count > 0)
        {
            y.Append("schedules:\n");
            foreach (var s in result.Schedules)
            {
                WriteSchedule(y, s);
            }
        }

        if (result.EscalationPolicies.Count > 0)
        {
            y.Append("escalation_policies:\n");
            foreach (var p in result.EscalationPolicies)
            {
                y.Append("  - id: ").Append(p.Id).Append('\n');
                y.Append("    name: ").Append(Q(p.Name)).Append('\n');
                y.Append("    steps:\n");
                foreach (var step in p.Steps)
                {
                    y.Append("      - { after: ").Append(ImportShapes.Duration(step.After)).Append(", notify: [")
                        .Append(string.Join(", ", step.Notify.Select(t => Q($"{t.Kind.ToString().ToLowerInvariant()}:{t.Id}")))).Append("] }\n");
                }

                if (p.Repeat > 0)
                {
                    y.Append("    repeat: ").Append(p.Repeat.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }

                if (p.RepeatEvery is { } every)
                {
                    y.Append("    repeat_every: ").Append(ImportShapes.Duration(every)).Append('\n');
                }
            }
        }

        if (result.Services.Count > 0)
        {
            y.Append("services:\n");
            foreach (var s in result.Services)
            {
                y.Append("  - id: ").Append(s.Id).Append('\n');
                y.Append("    name: ").Append(Q(s.Name)).Append('\n');
                Opt(y, "    description", s.Description);
                Opt(y, "    escalation_policy", s.EscalationPolicy);
            }
        }

        if (result.Notifiers.Count > 0)
        {
            y.Append("notifiers:\n");
            foreach (var n in result.Notifiers)
            {
                if (n.Comment is { } c)
                {
                    y.Append("  # ").Append(c.ReplaceLineEndings(" ")).Append('\n');
                }

                y.Append("  - id: ").Append(n.Id).Append('\n');
                y.Append("    webhook: { url: ").Append(Q(n.Url)).Append(" }\n");
            }
        }

        return y.ToString();
    }

    /// <summary>
    /// Loads the fragment with Vigil's own config loader and validator (as <c>vigil config validate</c>
    /// does, with a minimal <c>vigil:</c> section in front). Error lines are the fragment's own.
    /// </summary>
    public static ConfigLoadResult Validate(string fragment, string fileName = "import.yaml")
    {
        ArgumentNullException.ThrowIfNull(fragment);
        return ConfigLoader.LoadFromString(CheckHeader + fragment, fileName, _ => null);
    }

    /// <summary>Fragment line of a validation error (the check puts two lines in front).</summary>
    public static int FragmentLine(ConfigError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Math.Max(1, error.Line - 2);
    }

    private static void WriteSchedule(StringBuilder y, ScheduleConfig s)
    {
        y.Append("  - id: ").Append(s.Id).Append('\n');
        y.Append("    name: ").Append(Q(s.Name)).Append('\n');
        y.Append("    timezone: ").Append(Q(s.Timezone)).Append('\n');
        y.Append("    layers:\n");
        foreach (var l in s.Layers)
        {
            y.Append("      - name: ").Append(Q(l.Name ?? "layer")).Append('\n');
            y.Append("        rotation: ").Append(l.Rotation.ToString().ToLowerInvariant()).Append('\n');
            y.Append("        handoff: ").Append(Q(l.Handoff.ToConfigString())).Append('\n');
            if (l.ShiftLength is { } length)
            {
                y.Append("        shift_length: ").Append(ImportShapes.Duration(length)).Append('\n');
            }

            if (l.Start is { } start)
            {
                y.Append("        start: ").Append(start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n');
            }

            y.Append("        members: [").Append(string.Join(", ", l.Members)).Append("]\n");
            if (l.Restrictions.Count > 0)
            {
                y.Append("        restrictions:\n");
                foreach (var r in l.Restrictions)
                {
                    y.Append("          - { ");
                    if (r.Days.Count > 0)
                    {
                        y.Append("days: [").Append(string.Join(", ", r.Days.Select(d => d.ToString()[..3].ToLowerInvariant()))).Append("], ");
                    }

                    y.Append("from: \"").Append(r.From.ToString("HH:mm", CultureInfo.InvariantCulture))
                        .Append("\", to: \"").Append(r.To.ToString("HH:mm", CultureInfo.InvariantCulture)).Append("\" }\n");
                }
            }
        }

        if (s.Overrides.Count > 0)
        {
            y.Append("    overrides:\n");
            foreach (var o in s.Overrides)
            {
                y.Append("      - { person: ").Append(o.Person)
                    .Append(", start: ").Append(Q(o.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)))
                    .Append(", end: ").Append(Q(o.End.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)));
                if (o.Reason is { } reason)
                {
                    y.Append(", reason: ").Append(Q(reason));
                }

                y.Append(" }\n");
            }
        }
    }

    private static void Opt(StringBuilder y, string key, string? value)
    {
        if (value is not null)
        {
            y.Append(key).Append(": ").Append(Q(value)).Append('\n');
        }
    }

    /// <summary>A double-quoted YAML scalar (JSON string syntax is valid YAML); <c>$</c> is escaped so <c>${…}</c> is never expanded.</summary>
    private static string Q(string s) => JsonSerializer.Serialize(s).Replace("${", "$${", StringComparison.Ordinal);
}
