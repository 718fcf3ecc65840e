using System.Collections;
using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Vigil.Core.Config;

/// <summary>
/// Binds YAML nodes onto option classes by reflection (snake_case keys to PascalCase properties).
/// It never throws on bad input: every problem becomes an error with a location and key path, and
/// binding carries on so one run reports everything. Per-value rules come from attributes on the
/// properties (<see cref="MandatoryAttribute"/>, <see cref="UrlAttribute"/>, ...).
/// </summary>
internal sealed partial class ConfigBinder
{
    /// <summary>Guards against alias bombs: a small file whose aliases expand to millions of nodes.</summary>
    private const int MaxNodes = 1_000_000;

    private readonly ConfigDiagnostics _diagnostics;
    private readonly EnvExpander _env;
    private readonly Func<YamlNode, string> _fileOf;
    private readonly ConfigSourceInfo _sources;
    private int _visited;
    private bool _budgetExceeded;

    public ConfigBinder(ConfigDiagnostics diagnostics, EnvExpander env, Func<YamlNode, string> fileOf, ConfigSourceInfo sources)
    {
        _diagnostics = diagnostics;
        _env = env;
        _fileOf = fileOf;
        _sources = sources;
    }

    /// <summary>
    /// Binds the merged top-level pairs of all files onto <paramref name="target"/>. Keys in
    /// <paramref name="reservedKeys"/> (handled by the loader) and <c>x-</c> keys (anchors) are skipped.
    /// </summary>
    public void BindRoot(object target, IReadOnlyList<KeyValuePair<YamlNode, YamlNode>> pairs, IReadOnlySet<string> reservedKeys)
    {
        var info = ConfigTypeInfo.Get(target.GetType());
        BindObject(target, info, pairs, _sources.Root, string.Empty, reservedKeys);
    }

    private SourceLocation Locate(YamlNode node) => new(_fileOf(node), (int)node.Start.Line, (int)node.Start.Column);

    private void BindObject(object target, ConfigTypeInfo info, IEnumerable<KeyValuePair<YamlNode, YamlNode>> pairs, SourceLocation at, string path, IReadOnlySet<string>? rootReserved)
    {
        var isRoot = rootReserved is not null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var variants = new List<(ConfigPropertyInfo Property, YamlNode Key)>();
        foreach (var (keyNode, valueNode) in WithMerges(pairs, path))
        {
            if (keyNode is not YamlScalarNode { Value: { } name })
            {
                Error(keyNode, path, "a key must be a plain name, not a list or mapping");
                continue;
            }

            if (isRoot && (rootReserved!.Contains(name) || name.StartsWith("x-", StringComparison.Ordinal)))
            {
                continue;
            }

            var childPath = ConfigPath.Member(path, name);
            if (!info.ByKey.TryGetValue(name, out var prop))
            {
                if (info.Removed.TryGetValue(name, out var replacement))
                {
                    Error(keyNode, ConfigPath.Member(path, name), $"`{name}` is no longer a key here: {replacement}");
                    continue;
                }

                var candidates = info.Properties.Select(p => p.Key).Concat(rootReserved ?? Enumerable.Empty<string>()).ToList();
                var hint = SuggestKey(name, candidates);
                var shown = ConfigText.Token(name);
                Error(keyNode, ConfigPath.Member(path, shown), isRoot
                    ? $"unknown section `{shown}`{hint}"
                    : $"unknown key `{shown}`{hint}");
                continue;
            }

            if (!seen.Add(name))
            {
                // Only reachable through a `<<` merge: keys written in the mapping win over merged ones.
                continue;
            }

            _sources.Locations[childPath] = Locate(valueNode);
            if (IsNull(valueNode))
            {
                if (prop.IsMandatory || (prop.ValueType.IsScalar && !prop.AllowsNull))
                {
                    Error(valueNode, childPath, $"`{name}` needs a value: {ScalarConverter.Expected(prop.ValueType, prop.IsByteSize)}");
                }
                else if (prop.ValueType.IsScalar)
                {
                    prop.SetValue(target, null);
                }

                continue;
            }

            if (prop.IsVariant)
            {
                variants.Add((prop, keyNode));
            }

            var value = BindValue(valueNode, prop.ValueType, childPath, prop, out var ok);
            if (ok)
            {
                prop.SetValue(target, value);
            }
        }

        foreach (var prop in info.Properties)
        {
            if (prop.IsMandatory && !seen.Contains(prop.Key))
            {
                var childPath = ConfigPath.Member(path, prop.Key);
                _diagnostics.Error(at, childPath, isRoot
                    ? $"missing required section `{prop.Key}`; add it at the top level"
                    : $"missing required key `{prop.Key}`; add `{prop.Key}:` with {ScalarConverter.Expected(prop.ValueType, prop.IsByteSize)}");
            }
        }

        var variantKeys = info.Properties.Where(p => p.IsVariant).Select(p => $"`{p.Key}`").ToList();
        if (variantKeys.Count > 0)
        {
            if (variants.Count == 0)
            {
                _diagnostics.Error(at, path, $"needs exactly one of {JoinOr(variantKeys)}; none is set");
            }
            else if (variants.Count > 1)
            {
                var second = variants[1];
                Error(second.Key, ConfigPath.Member(path, second.Property.Key),
                    $"only one of {JoinOr(variantKeys)} may be set, but both `{variants[0].Property.Key}` and `{second.Property.Key}` are; keep one of them (two checks or notifiers are two list entries)");
            }
        }
    }

    private object? BindValue(YamlNode node, ConfigValueType type, string path, ConfigPropertyInfo? prop, out bool ok)
    {
        ok = false;
        if (++_visited > MaxNodes)
        {
            if (!_budgetExceeded)
            {
                _budgetExceeded = true;
                Error(node, path, $"the config expands to more than {MaxNodes} values (through aliases?); simplify it");
            }

            return null;
        }

        _sources.Locations[path] = Locate(node);
        switch (type.Kind)
        {
            case ValueKind.Object:
                if (node is not YamlMappingNode mapping)
                {
                    Error(node, path, $"expected a mapping (`key: value` lines or `{{ key: value }}`), got {Describe(node)}");
                    return null;
                }

                var info = type.Object;
                var obj = info.CreateInstance();
                BindObject(obj, info, mapping.Children, Locate(mapping), path, null);
                ok = true;
                return obj;

            case ValueKind.List:
                return BindList(node, type, path, prop, out ok);

            case ValueKind.Map:
                return BindMap(node, type, path, prop, out ok);

            default:
                return BindScalar(node, type, path, prop, out ok);
        }
    }

    private IList? BindList(YamlNode node, ConfigValueType type, string path, ConfigPropertyInfo? prop, out bool ok)
    {
        ok = false;
        var element = type.Element;
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element.Declared))!;
        var placeholder = element.Declared.IsValueType ? Activator.CreateInstance(element.Declared) : null;
        if (node is YamlScalarNode && element.IsScalar)
        {
            // A single value where a list of values is expected is a one-item list: `to: ops@example.com`.
            var single = BindScalar(node, element, ConfigPath.Index(path, 0), prop, out var singleOk);
            list.Add(singleOk ? single : placeholder);
            ok = singleOk;
            return list;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, $"expected a list (`- item` lines or `[a, b]`), got {Describe(node)}");
            return null;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var child = sequence.Children[i];
            var itemPath = ConfigPath.Index(path, i);
            if (IsNull(child))
            {
                _sources.Locations[itemPath] = Locate(child);
                Error(child, itemPath, "empty list item; remove the `-` or give it a value");
                list.Add(placeholder);
                continue;
            }

            var item = BindValue(child, element, itemPath, prop, out var itemOk);
            list.Add(itemOk ? item : placeholder);
        }

        if (prop is { IsNotEmpty: true } && list.Count == 0)
        {
            Error(node, path, $"`{prop.Key}` must have at least one entry");
        }

        ok = true;
        return list;
    }

    private IDictionary? BindMap(YamlNode node, ConfigValueType type, string path, ConfigPropertyInfo? prop, out bool ok)
    {
        ok = false;
        if (node is not YamlMappingNode mapping)
        {
            Error(node, path, $"expected a mapping (`key: value` lines or `{{ key: value }}`), got {Describe(node)}");
            return null;
        }

        var element = type.Element;
        var dict = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), element.Declared), StringComparer.Ordinal)!;
        foreach (var (keyNode, valueNode) in WithMerges(mapping.Children, path))
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Error(keyNode, path, "a key must be a plain name, not a list or mapping");
                continue;
            }

            if (dict.Contains(key))
            {
                continue;
            }

            var entryPath = ConfigPath.MapKey(path, key);
            if (prop is { IsLabels: true })
            {
                CheckLabel(keyNode, entryPath, key, dict.Count);
            }

            if (IsNull(valueNode) && element.Kind == ValueKind.String)
            {
                _sources.Locations[entryPath] = Locate(valueNode);
                dict[key] = string.Empty;
                continue;
            }

            var value = BindValue(valueNode, element, entryPath, prop, out var valueOk);
            if (valueOk)
            {
                if (prop is { IsLabels: true } && value is string s && s.Length > LabelRules.MaxValueLength)
                {
                    Error(valueNode, entryPath, $"label value is {s.Length} characters long; the limit is {LabelRules.MaxValueLength}");
                }

                dict[key] = value;
            }
        }

        if (prop is { IsNotEmpty: true } && dict.Count == 0)
        {
            Error(node, path, $"`{prop.Key}` must have at least one entry");
        }

        ok = true;
        return dict;
    }

    private object? BindScalar(YamlNode node, ConfigValueType type, string path, ConfigPropertyInfo? prop, out bool ok)
    {
        ok = false;
        _sources.Locations[path] = Locate(node);
        var byteSize = prop?.IsByteSize ?? false;
        if (node is not YamlScalarNode scalar)
        {
            Error(node, path, $"expected {ScalarConverter.Expected(type, byteSize)}, got {Describe(node)}");
            return null;
        }

        var raw = scalar.Value ?? string.Empty;
        var text = _env.Expand(raw, out var fromEnv, out var envErrors);
        foreach (var envError in envErrors)
        {
            Error(node, path, envError);
        }

        if (envErrors.Count > 0)
        {
            return null;
        }

        if (fromEnv)
        {
            _sources.Templates[path] = EnvExpander.Canonical(raw);
        }

        if (fromEnv && text.Length == 0 && prop is { AllowsNull: true } && type.IsScalar)
        {
            // `${VAR:-}` on an optional key means "not set" when the variable is empty or unset.
            ok = true;
            return null;
        }

        var secret = prop?.IsSecret ?? false;
        var display = fromEnv ? $"the value of `{ConfigText.Token(raw)}`" : secret ? "(secret value hidden)"
            : node.End.Line > node.Start.Line ? $"(text over lines {node.Start.Line}-{node.End.Line})" : $"`{ConfigText.Token(text)}`";
        if (!ScalarConverter.TryConvert(text, type, byteSize, out var value, out var reason))
        {
            Error(node, path, $"invalid {Noun(type, byteSize)} {display}: {reason}");
            return null;
        }

        if (prop is not null && !CheckValue(node, path, prop, value!, display))
        {
            return null;
        }

        if (secret && !fromEnv && value is string { Length: > 0 })
        {
            _diagnostics.Warning(Locate(node), path, $"`{prop!.Key}` is a secret written literally in the file; reference an environment variable instead, like `${{{ConfigNaming.ToSnakeCase(prop.Key).ToUpperInvariant()}}}`");
        }

        ok = true;
        return value;
    }

    /// <summary>Attribute-driven checks of one bound scalar; false when the value is unusable.</summary>
    private bool CheckValue(YamlNode node, string path, ConfigPropertyInfo prop, object value, string display)
    {
        switch (value)
        {
            case string s:
                return CheckString(node, path, prop, s, display);
            case int or long or double:
                var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (prop.Range is { } range && (number < range.Min || number > range.Max))
                {
                    Error(node, path, $"{display} is out of range; use a value from {Format(range.Min)} to {Format(range.Max)}");
                    return false;
                }

                if (prop.IsPositive && number <= 0)
                {
                    Error(node, path, $"{display} must be greater than 0");
                    return false;
                }

                return true;
            case TimeSpan span:
                if (prop.IsPositive && span <= TimeSpan.Zero)
                {
                    Error(node, path, $"`{prop.Key}` must be longer than 0s");
                    return false;
                }

                return true;
            default:
                return true;
        }
    }

    private bool CheckString(YamlNode node, string path, ConfigPropertyInfo prop, string s, string display)
    {
        if (string.IsNullOrWhiteSpace(s))
        {
            if (prop.IsNotEmpty || prop.IsIdentifier || prop.IsMandatory || prop.UrlSchemes is not null || prop.IsCron || prop.IsTimeZone || prop.IsEmail || prop.Reference is not null)
            {
                Error(node, path, $"`{prop.Key}` must not be empty; give it a value or remove the key");
                return false;
            }

            return true;
        }

        if (prop.IsIdentifier && !IdPattern().IsMatch(s))
        {
            Error(node, path, $"invalid id {display}: use 1-64 letters, digits, `.`, `_` or `-`, starting with a letter or digit (like `edge-api`)");
            return false;
        }

        if (prop.OneOf is { } allowed && !allowed.Contains(s, StringComparer.Ordinal))
        {
            Error(node, path, $"invalid value {display}; use one of: {string.Join(", ", allowed)}{Suggest.DidYouMean(s, allowed)}");
            return false;
        }

        if (prop.UrlSchemes is { } schemes)
        {
            if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase) || (uri.Host.Length == 0 && !uri.IsFile))
            {
                var prefixes = string.Join(" or ", schemes.Select(x => $"`{x}://`"));
                Error(node, path, $"invalid URL {display}: write an absolute URL starting with {prefixes}, like {schemes[0]}://host:port/path");
                return false;
            }
        }

        if (prop.IsCron && !CronRules.TryParse(s, out _, out var cronError))
        {
            Error(node, path, $"invalid cron expression {display}: {cronError}");
            return false;
        }

        if (prop.IsTimeZone && !TimeZones.TryFind(s, out _))
        {
            Error(node, path, $"unknown time zone {display}: use an IANA id like UTC or Europe/Berlin{TimeZones.DidYouMean(s)}");
            return false;
        }

        if (prop.IsRegex)
        {
            try
            {
                _ = new Regex(s, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                Error(node, path, $"invalid regular expression {display}: {ex.Message}");
                return false;
            }
        }

        if (prop.IsEmail && (!MailAddress.TryCreate(s, out var address) || !string.Equals(address.Address, s.Trim(), StringComparison.Ordinal)))
        {
            Error(node, path, $"invalid e-mail address {display}: write a plain address like ops@example.com");
            return false;
        }

        return true;
    }

    private void CheckLabel(YamlNode keyNode, string path, string key, int countBefore)
    {
        if (countBefore == LabelRules.MaxCount)
        {
            Error(keyNode, path, $"too many labels; the limit is {LabelRules.MaxCount}");
        }

        if (key.Length > LabelRules.MaxKeyLength || !LabelKeyPattern().IsMatch(key))
        {
            Error(keyNode, path, $"invalid label name `{key}`: use up to {LabelRules.MaxKeyLength} letters, digits, `_`, `.` or `-`, starting with a letter or `_`");
        }
    }

    /// <summary>The pairs of a mapping with YAML merge keys (<c>&lt;&lt;: *anchor</c>) expanded after the explicit keys.</summary>
    private IEnumerable<KeyValuePair<YamlNode, YamlNode>> WithMerges(IEnumerable<KeyValuePair<YamlNode, YamlNode>> pairs, string path)
    {
        List<YamlNode>? merges = null;
        foreach (var pair in pairs)
        {
            if (pair.Key is YamlScalarNode { Value: "<<", Style: YamlDotNet.Core.ScalarStyle.Plain })
            {
                merges ??= [];
                if (pair.Value is YamlSequenceNode seq)
                {
                    merges.AddRange(seq.Children);
                }
                else
                {
                    merges.Add(pair.Value);
                }

                continue;
            }

            yield return pair;
        }

        if (merges is null)
        {
            yield break;
        }

        foreach (var merge in merges)
        {
            if (merge is not YamlMappingNode merged)
            {
                Error(merge, path, "a `<<` merge key takes a mapping or a list of mappings (usually `<<: *anchor`)");
                continue;
            }

            foreach (var pair in merged.Children)
            {
                yield return pair;
            }
        }
    }

    private static string SuggestKey(string name, IReadOnlyList<string> candidates)
    {
        var snake = ConfigNaming.ToSnakeCase(name.Replace('-', '_'));
        if (!string.Equals(snake, name, StringComparison.Ordinal) && candidates.Contains(snake, StringComparer.Ordinal))
        {
            return $"; did you mean `{snake}`? (keys are snake_case)";
        }

        var hint = Suggest.DidYouMean(name, candidates);
        return hint.Length > 0 ? hint : $"; valid keys here: {string.Join(", ", candidates)}";
    }

    internal static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsNull(s) => "nothing",
        YamlScalarNode s when s.End.Line > s.Start.Line => $"a text over lines {s.Start.Line}-{s.End.Line}",
        YamlScalarNode s => $"`{ConfigText.Token(s.Value)}`",
        _ => "something else",
    };

    private static string Noun(ConfigValueType type, bool byteSize) => type.Kind switch
    {
        ValueKind.Duration => "duration",
        ValueKind.Int or ValueKind.Long when byteSize => "byte size",
        ValueKind.Int or ValueKind.Long => "integer",
        ValueKind.Double => "number",
        ValueKind.Bool => "boolean",
        ValueKind.DateTimeOffset => "date and time",
        ValueKind.DateOnly => "date",
        ValueKind.TimeOnly => "time of day",
        ValueKind.DayOfWeek => "weekday",
        ValueKind.Scalar => ConfigNaming.ToKebabCase(type.ClrType.Name).Replace('-', ' '),
        _ => "value",
    };

    private static string JoinOr(IReadOnlyList<string> items) =>
        items.Count switch
        {
            1 => items[0],
            2 => $"{items[0]} or {items[1]}",
            _ => string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1],
        };

    private static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);

    private void Error(YamlNode node, string path, string message) => _diagnostics.Error(Locate(node), path, message);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    internal static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex LabelKeyPattern();
}
