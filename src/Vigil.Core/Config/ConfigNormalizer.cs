using System.Collections;

namespace Vigil.Core.Config;

/// <summary>
/// Builds the normalized tree of a config from the typed model: every key with its effective value
/// (defaults included, nulls and empty lists and maps left out), durations and other scalars in
/// canonical spelling, and <c>${VAR}</c> values as their template. Formatting, comments, key order
/// and the split into included files do not show in it.
/// </summary>
internal static class ConfigNormalizer
{
    /// <param name="config">The config.</param>
    /// <param name="forDigest">Leaves out the keys that may differ per cluster node (<see cref="NodeLocalAttribute"/>), as the digest does.</param>
    public static NormalNode.Map Build(VigilConfig config, bool forDigest = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        return BuildObject(config, ConfigTypeInfo.Get(typeof(VigilConfig)), string.Empty, config.Source, forDigest);
    }

    private static NormalNode.Map BuildObject(object target, ConfigTypeInfo info, string path, ConfigSourceInfo? sources, bool forDigest)
    {
        var map = new NormalNode.Map();
        foreach (var prop in info.Properties)
        {
            var value = prop.GetValue(target);
            if (value is null || (forDigest && prop.IsNodeLocal))
            {
                continue;
            }

            var childPath = ConfigPath.Member(path, prop.Key);
            var node = BuildValue(value, prop.ValueType, prop, childPath, sources, forDigest);
            if (node is NormalNode.List { Items.Count: 0 } or NormalNode.Map { Entries.Count: 0 } && prop.ValueType.Kind != ValueKind.Object)
            {
                continue;
            }

            map.Entries.Add(new(prop.Key, node));
        }

        return map;
    }

    private static NormalNode BuildValue(object value, ConfigValueType type, ConfigPropertyInfo prop, string path, ConfigSourceInfo? sources, bool forDigest)
    {
        switch (type.Kind)
        {
            case ValueKind.Object:
                return BuildObject(value, type.Object, path, sources, forDigest);
            case ValueKind.List:
                var list = new NormalNode.List();
                var i = 0;
                foreach (var item in (IEnumerable)value)
                {
                    if (item is not null)
                    {
                        list.Items.Add(BuildValue(item, type.Element, prop, ConfigPath.Index(path, i), sources, forDigest));
                    }

                    i++;
                }

                return list;
            case ValueKind.Map:
                var map = new NormalNode.Map();
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    if (entry.Value is not null)
                    {
                        var key = (string)entry.Key;
                        map.Entries.Add(new(key, BuildValue(entry.Value, type.Element, prop, ConfigPath.MapKey(path, key), sources, forDigest)));
                    }
                }

                map.Entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
                return map;
            default:
                var isString = type.Kind == ValueKind.String;
                if (sources is not null && sources.Templates.TryGetValue(path, out var template))
                {
                    return new NormalNode.Scalar(template, isString, prop.IsSecret, fromEnv: true);
                }

                var text = ScalarConverter.Format(value, type);
                return new NormalNode.Scalar(isString ? EnvExpander.EscapeLiteral(text) : text, isString, prop.IsSecret, fromEnv: false);
        }
    }
}
