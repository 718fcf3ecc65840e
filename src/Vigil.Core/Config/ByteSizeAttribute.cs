namespace Vigil.Core.Config;

/// <summary>An integer property written as a byte size: <c>1048576</c>, <c>512KB</c>, <c>10MB</c>, <c>1MiB</c>.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class ByteSizeAttribute : Attribute;
