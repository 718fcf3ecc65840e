namespace Vigil.Core.Config;

/// <summary>
/// Overrides the config spelling of a property (normally its snake_case name) or of an enum value
/// (normally its kebab-case name).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
internal sealed class ConfigNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
