namespace Vigil.Core.Config;

/// <summary>A .NET regular expression that must compile.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class RegexPatternAttribute : Attribute;
