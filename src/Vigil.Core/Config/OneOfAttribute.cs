namespace Vigil.Core.Config;

/// <summary>A string (or each string of a list) must be one of these values (compared exactly).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class OneOfAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}
