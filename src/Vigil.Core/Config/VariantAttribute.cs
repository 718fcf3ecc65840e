namespace Vigil.Core.Config;

/// <summary>
/// Exactly one of the properties marked with this attribute must be set in each mapping (a check has
/// exactly one type: <c>http</c>, <c>tcp</c>, ...).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class VariantAttribute : Attribute;
