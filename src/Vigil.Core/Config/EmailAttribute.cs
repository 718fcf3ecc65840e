namespace Vigil.Core.Config;

/// <summary>An e-mail address (or each address of a list).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class EmailAttribute : Attribute;
