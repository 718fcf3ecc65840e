namespace Vigil.Core.Config;

/// <summary>A duration or number must be greater than zero.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class PositiveAttribute : Attribute;
