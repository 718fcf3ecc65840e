namespace Vigil.Core.Config;

/// <summary>
/// The value (or each list item, or each map value) is the id of an entry in the top-level
/// section <see cref="Section"/> (for example <c>services</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class ReferenceToAttribute(string section) : Attribute
{
    public string Section { get; } = section;

    /// <summary>Also accept <c>*</c>, meaning every entry.</summary>
    public bool AllowWildcard { get; init; }
}
