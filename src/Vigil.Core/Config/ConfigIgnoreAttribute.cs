namespace Vigil.Core.Config;

/// <summary>A public property that is not a config key (computed at load, for example).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class ConfigIgnoreAttribute : Attribute;
