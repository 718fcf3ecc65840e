namespace Vigil.Core.Config;

/// <summary>
/// A key an option class used to accept and no longer does. Writing it is an error that says what
/// replaced it, instead of a bare "unknown key".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
internal sealed class RemovedKeyAttribute(string key, string replacement) : Attribute
{
    public string Key { get; } = key;

    /// <summary>What to write instead, as the rest of the error message.</summary>
    public string Replacement { get; } = replacement;
}
