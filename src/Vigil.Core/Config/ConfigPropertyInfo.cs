using System.Reflection;

namespace Vigil.Core.Config;

/// <summary>One config key of an option class, with the attributes that shape parsing and validation.</summary>
internal sealed class ConfigPropertyInfo
{
    public ConfigPropertyInfo(PropertyInfo property)
    {
        Property = property;
        Key = property.GetCustomAttribute<ConfigNameAttribute>()?.Name ?? ConfigNaming.ToSnakeCase(property.Name);
        ValueType = ConfigValueType.Of(property.PropertyType);
        AllowsNull = ValueType.ClrType != property.PropertyType
            || (!property.PropertyType.IsValueType && new NullabilityInfoContext().Create(property).WriteState != NullabilityState.NotNull);
        IsMandatory = property.IsDefined(typeof(MandatoryAttribute));
        IsSecret = property.IsDefined(typeof(SecretAttribute));
        IsNodeLocal = property.IsDefined(typeof(NodeLocalAttribute));
        IsByteSize = property.IsDefined(typeof(ByteSizeAttribute));
        IsVariant = property.IsDefined(typeof(VariantAttribute));
        IsCron = property.IsDefined(typeof(CronAttribute));
        IsTimeZone = property.IsDefined(typeof(TimeZoneIdAttribute));
        IsIdentifier = property.IsDefined(typeof(IdentifierAttribute));
        IsNotEmpty = property.IsDefined(typeof(NotEmptyAttribute));
        IsLabels = property.IsDefined(typeof(LabelsAttribute));
        IsRegex = property.IsDefined(typeof(RegexPatternAttribute));
        IsEmail = property.IsDefined(typeof(EmailAttribute));
        IsPositive = property.IsDefined(typeof(PositiveAttribute));
        OneOf = property.GetCustomAttribute<OneOfAttribute>()?.Values;
        Range = property.GetCustomAttribute<NumberRangeAttribute>();
        UrlSchemes = property.GetCustomAttribute<UrlAttribute>()?.Schemes;
        Reference = property.GetCustomAttribute<ReferenceToAttribute>();
    }

    public PropertyInfo Property { get; }

    /// <summary>The snake_case key.</summary>
    public string Key { get; }

    public ConfigValueType ValueType { get; }

    /// <summary>Whether the property may hold <see langword="null"/> (so an empty YAML value is allowed).</summary>
    public bool AllowsNull { get; }

    public bool IsMandatory { get; }

    public bool IsSecret { get; }

    /// <summary>May differ between cluster nodes: left out of the digest (<see cref="NodeLocalAttribute"/>).</summary>
    public bool IsNodeLocal { get; }

    public bool IsByteSize { get; }

    public bool IsVariant { get; }

    public bool IsCron { get; }

    public bool IsTimeZone { get; }

    public bool IsIdentifier { get; }

    public bool IsNotEmpty { get; }

    public bool IsLabels { get; }

    public bool IsRegex { get; }

    public bool IsEmail { get; }

    public bool IsPositive { get; }

    public IReadOnlyList<string>? OneOf { get; }

    public NumberRangeAttribute? Range { get; }

    public IReadOnlyList<string>? UrlSchemes { get; }

    public ReferenceToAttribute? Reference { get; }

    public object? GetValue(object target) => Property.GetValue(target);

    public void SetValue(object target, object? value) => Property.SetValue(target, value);
}
