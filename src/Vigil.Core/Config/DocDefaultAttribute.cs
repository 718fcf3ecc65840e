namespace Vigil.Core.Config;

/// <summary>How the reference docs describe a default that is not a plain value (like "the id").</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class DocDefaultAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}
