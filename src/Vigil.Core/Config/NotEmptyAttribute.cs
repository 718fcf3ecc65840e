namespace Vigil.Core.Config;

/// <summary>A string must not be empty or blank; a list or map must have at least one entry.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class NotEmptyAttribute : Attribute;
