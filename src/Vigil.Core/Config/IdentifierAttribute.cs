namespace Vigil.Core.Config;

/// <summary>
/// An id: 1–64 characters of letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, starting with a letter or
/// digit. Ids are unique within their list.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class IdentifierAttribute : Attribute;
