using System.Collections.Concurrent;
using System.Reflection;

namespace Vigil.Core.Config;

/// <summary>The config shape of a CLR type: scalar kind, list or map element, or option class.</summary>
internal sealed class ConfigValueType
{
    private static readonly ConcurrentDictionary<Type, ConfigValueType> _cache = new();

    private ConfigValueType(Type declared)
    {
        Declared = declared;
        var underlying = Nullable.GetUnderlyingType(declared);
        IsNullable = underlying is not null || !declared.IsValueType;
        ClrType = underlying ?? declared;
        Kind = Classify(ClrType, out var element);
        ElementClrType = element;
    }

    /// <summary>The property's declared type (possibly <see cref="Nullable{T}"/>).</summary>
    public Type Declared { get; }

    /// <summary>The type without <see cref="Nullable{T}"/>.</summary>
    public Type ClrType { get; }

    public bool IsNullable { get; }

    public ValueKind Kind { get; }

    private Type? ElementClrType { get; }

    /// <summary>The element type of a list or the value type of a map.</summary>
    public ConfigValueType Element => ElementClrType is null
        ? throw new InvalidOperationException($"{ClrType} has no element type")
        : Of(ElementClrType);

    public ConfigTypeInfo Object => Kind == ValueKind.Object
        ? ConfigTypeInfo.Get(ClrType)
        : throw new InvalidOperationException($"{ClrType} is not an option class");

    public bool IsScalar => Kind is not (ValueKind.Object or ValueKind.List or ValueKind.Map);

    public static ConfigValueType Of(Type type) => _cache.GetOrAdd(type, t => new ConfigValueType(t));

    private static ValueKind Classify(Type t, out Type? element)
    {
        element = null;
        if (t == typeof(string))
        {
            return ValueKind.String;
        }

        if (t == typeof(bool))
        {
            return ValueKind.Bool;
        }

        if (t == typeof(int))
        {
            return ValueKind.Int;
        }

        if (t == typeof(long))
        {
            return ValueKind.Long;
        }

        if (t == typeof(double))
        {
            return ValueKind.Double;
        }

        if (t == typeof(TimeSpan))
        {
            return ValueKind.Duration;
        }

        if (t == typeof(DateTimeOffset))
        {
            return ValueKind.DateTimeOffset;
        }

        if (t == typeof(DateOnly))
        {
            return ValueKind.DateOnly;
        }

        if (t == typeof(TimeOnly))
        {
            return ValueKind.TimeOnly;
        }

        if (t == typeof(DayOfWeek))
        {
            return ValueKind.DayOfWeek;
        }

        if (t.IsEnum)
        {
            return ValueKind.Enum;
        }

        if (t.IsValueType && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConfigScalar<>)))
        {
            return ValueKind.Scalar;
        }

        if (t.IsGenericType)
        {
            var def = t.GetGenericTypeDefinition();
            var args = t.GetGenericArguments();
            if (def == typeof(IReadOnlyList<>) || def == typeof(List<>) || def == typeof(IList<>) || def == typeof(IReadOnlyCollection<>))
            {
                element = args[0];
                return ValueKind.List;
            }

            if ((def == typeof(IReadOnlyDictionary<,>) || def == typeof(Dictionary<,>) || def == typeof(IDictionary<,>)) && args[0] == typeof(string))
            {
                element = args[1];
                return ValueKind.Map;
            }
        }

        if (t.IsClass && !t.IsAbstract && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null)
        {
            return ValueKind.Object;
        }

        throw new NotSupportedException($"config binder does not support properties of type {t}");
    }
}
