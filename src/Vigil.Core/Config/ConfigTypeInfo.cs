using System.Collections.Concurrent;
using System.Reflection;

namespace Vigil.Core.Config;

/// <summary>
/// The keys of an option class, found by reflection: every public instance property with a public
/// setter and no <see cref="ConfigIgnoreAttribute"/>, in declaration order.
/// </summary>
internal sealed class ConfigTypeInfo
{
    private static readonly ConcurrentDictionary<Type, ConfigTypeInfo> _cache = new();

    private ConfigTypeInfo(Type type)
    {
        Type = type;
        Properties = type
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && !p.IsDefined(typeof(ConfigIgnoreAttribute)) && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken)
            .Select(p => new ConfigPropertyInfo(p))
            .ToList();
        ByKey = Properties.ToDictionary(p => p.Key, StringComparer.Ordinal);
        IdProperty = Properties.FirstOrDefault(p => p.IsIdentifier && p.Key == "id");
        Removed = type.GetCustomAttributes<RemovedKeyAttribute>().ToDictionary(a => a.Key, a => a.Replacement, StringComparer.Ordinal);
    }

    public Type Type { get; }

    public IReadOnlyList<ConfigPropertyInfo> Properties { get; }

    public IReadOnlyDictionary<string, ConfigPropertyInfo> ByKey { get; }

    /// <summary>The <c>id</c> key, when entries of this type are identified (and must be unique in their list).</summary>
    public ConfigPropertyInfo? IdProperty { get; }

    /// <summary>Keys this type no longer accepts, with what replaced each (<see cref="RemovedKeyAttribute"/>).</summary>
    public IReadOnlyDictionary<string, string> Removed { get; }

    public static ConfigTypeInfo Get(Type type) => _cache.GetOrAdd(type, t => new ConfigTypeInfo(t));

    public object CreateInstance() => Activator.CreateInstance(Type)!;
}
