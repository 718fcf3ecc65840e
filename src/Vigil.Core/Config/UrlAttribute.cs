namespace Vigil.Core.Config;

/// <summary>An absolute URL whose scheme is one of <see cref="Schemes"/>.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class UrlAttribute(params string[] schemes) : Attribute
{
    public IReadOnlyList<string> Schemes { get; } = schemes;
}
