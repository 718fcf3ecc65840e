using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Vigil.Core.Config;

/// <summary>
/// Generates the key reference of docs/configuration.md from the option classes: every key with
/// its type, default and description (the property's XML doc summary). A property added to an
/// option class shows up here without further work; a test keeps the docs file in step.
/// </summary>
internal static class ConfigReference
{
    /// <param name="summaryOf">The XML doc summary of a member id such as <c>P:Vigil.Core.Config.ServiceConfig.Id</c>, as Markdown.</param>
    public static string ToMarkdown(Func<string, string?> summaryOf)
    {
        ArgumentNullException.ThrowIfNull(summaryOf);
        var sb = new StringBuilder();
        Document(typeof(VigilConfig), string.Empty, summaryOf, sb, []);
        return sb.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>Writes the table of one option class, then (depth first) those of the classes under it.</summary>
    private static void Document(Type type, string path, Func<string, string?> summaryOf, StringBuilder sb, HashSet<Type> done)
    {
        if (!done.Add(type))
        {
            return;
        }

        var info = ConfigTypeInfo.Get(type);
        sb.Append("### ").Append(path.Length == 0 ? "Top level" : $"`{path}`").Append('\n').Append('\n');
        if (summaryOf("T:" + type.FullName) is { Length: > 0 } typeSummary)
        {
            sb.Append(typeSummary).Append('\n').Append('\n');
        }

        var variants = info.Properties.Where(p => p.IsVariant).Select(p => $"`{p.Key}`").ToList();
        if (variants.Count > 0)
        {
            sb.Append("Exactly one of ").Append(string.Join(", ", variants)).Append(" must be set.").Append('\n').Append('\n');
        }

        sb.Append("| Key | Type | Default | Description |\n|---|---|---|---|\n");
        var instance = info.CreateInstance();
        var children = new List<(Type Type, string Path)>();
        foreach (var prop in info.Properties)
        {
            var description = summaryOf($"P:{type.FullName}.{prop.Property.Name}") ?? string.Empty;
            sb.Append("| `").Append(prop.Key).Append("` | ")
                .Append(Escape(TypeText(prop)))
                .Append(" | ")
                .Append(Escape(DefaultText(prop, instance)))
                .Append(" | ")
                .Append(Escape(description))
                .Append(" |\n");

            var element = prop.ValueType.Kind is ValueKind.List or ValueKind.Map ? prop.ValueType.Element : prop.ValueType;
            if (element.Kind == ValueKind.Object)
            {
                var suffix = prop.ValueType.Kind switch
                {
                    ValueKind.List => "[]",
                    ValueKind.Map => ".*",
                    _ => string.Empty,
                };
                children.Add((element.ClrType, ConfigPath.Member(path, prop.Key) + suffix));
            }
        }

        sb.Append('\n');
        foreach (var (childType, childPath) in children)
        {
            Document(childType, childPath, summaryOf, sb, done);
        }
    }

    private static string TypeText(ConfigPropertyInfo prop)
    {
        var parts = new List<string> { Describe(prop.ValueType, prop) };
        if (prop.IsMandatory)
        {
            parts.Add("required");
        }

        if (prop.IsSecret)
        {
            parts.Add("secret");
        }

        if (prop.IsVariant)
        {
            parts.Add("type key");
        }

        return string.Join(", ", parts);
    }

    private static string Describe(ConfigValueType type, ConfigPropertyInfo prop)
    {
        var scalarText = type.Kind switch
        {
            ValueKind.Object => "mapping",
            ValueKind.List => "list of " + Plural(Describe(type.Element, prop)),
            ValueKind.Map => "map of " + Plural(Describe(type.Element, prop)),
            ValueKind.String when prop.IsIdentifier => "id",
            ValueKind.String when prop.Reference is { } r => $"{Singular(r.Section)} id" + (r.AllowWildcard ? " or `*`" : string.Empty),
            ValueKind.String when prop.UrlSchemes is { } schemes => "URL (" + string.Join(", ", schemes) + ")",
            ValueKind.String when prop.IsCron => "cron expression",
            ValueKind.String when prop.IsTimeZone => "time zone",
            ValueKind.String when prop.IsEmail => "e-mail address",
            ValueKind.String when prop.IsRegex => "regular expression",
            ValueKind.String when prop.OneOf is { } values => "one of " + string.Join(", ", values.Select(v => $"`{v}`")),
            ValueKind.String => "string",
            ValueKind.Bool => "boolean",
            ValueKind.Int or ValueKind.Long when prop.IsByteSize => "byte size",
            ValueKind.Int or ValueKind.Long => "integer",
            ValueKind.Double => "number",
            ValueKind.Duration => "duration",
            ValueKind.Enum => "one of " + string.Join(", ", EnumNames.Of(type.ClrType).Select(e => $"`{e.Text}`")),
            ValueKind.Scalar => ConfigNaming.ToKebabCase(type.ClrType.Name).Replace('-', ' '),
            ValueKind.DateTimeOffset => "date-time with offset",
            ValueKind.DateOnly => "date",
            ValueKind.TimeOnly => "time of day",
            ValueKind.DayOfWeek => "weekday",
            _ => type.Kind.ToString().ToLowerInvariant(),
        };
        if (prop.Range is { } range && type.Kind is ValueKind.Int or ValueKind.Long or ValueKind.Double)
        {
            scalarText += $" ({F(range.Min)}–{F(range.Max)})";
        }

        return scalarText;
    }

    private static string DefaultText(ConfigPropertyInfo prop, object instance)
    {
        if (prop.Property.GetCustomAttribute<DocDefaultAttribute>() is { } doc)
        {
            return doc.Text;
        }

        if (prop.IsMandatory)
        {
            return "—";
        }

        var value = prop.GetValue(instance);
        switch (value)
        {
            case null:
                return "—";
            case string s:
                return s.Length == 0 ? "—" : $"`{s}`";
            case IDictionary { Count: 0 }:
            case IList { Count: 0 }:
                return "none";
            case IList list when prop.ValueType.Element.IsScalar:
                return "`[" + string.Join(", ", list.Cast<object>().Select(o => ScalarConverter.Format(o, prop.ValueType.Element))) + "]`";
            case IList list:
                return $"{list.Count} entries (see text)";
            default:
                if (prop.ValueType.Kind == ValueKind.Object)
                {
                    return "see below";
                }

                var text = ScalarConverter.Format(value, prop.ValueType);
                return prop.IsByteSize ? $"`{text}` ({HumanBytes((long)value)})" : $"`{text}`";
        }
    }

    private static string HumanBytes(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} B";

    /// <summary>Pluralizes the head noun: "integer (1–5)" → "integers (1–5)", "service id or `*`" → "service ids or `*`".</summary>
    private static string Plural(string text)
    {
        if (text.StartsWith("one of", StringComparison.Ordinal))
        {
            return text;
        }

        var cut = new[] { text.IndexOf(" (", StringComparison.Ordinal), text.IndexOf(" or ", StringComparison.Ordinal) }.Where(i => i > 0).DefaultIfEmpty(text.Length).Min();
        var head = text[..cut];
        head = head.EndsWith("ss", StringComparison.Ordinal) ? head + "es" : head.EndsWith('s') ? head : head + "s";
        return head + text[cut..];
    }

    private static string Singular(string section) => section switch
    {
        "severities" => "severity",
        "people" => "person",
        "escalation_policies" => "escalation policy",
        _ => section.TrimEnd('s'),
    };

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string F(double d) => d.ToString(CultureInfo.InvariantCulture);
}
