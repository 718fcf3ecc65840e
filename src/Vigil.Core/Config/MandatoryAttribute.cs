namespace Vigil.Core.Config;

/// <summary>The key must be present and have a value.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class MandatoryAttribute : Attribute;
