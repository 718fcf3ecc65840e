namespace Vigil.Core.Config;

/// <summary>
/// A value type written as one YAML scalar. The binder parses it with <see cref="TryParse"/> and
/// the normalizer writes it back with <see cref="ToConfigString"/>, so the two must round-trip.
/// </summary>
internal interface IConfigScalar<TSelf>
    where TSelf : struct, IConfigScalar<TSelf>
{
    /// <summary>What a valid value looks like, for error messages and docs ("a percentage like 99.9%").</summary>
    static abstract string Expected { get; }

    static abstract bool TryParse(string? text, out TSelf value, out string? error);

    string ToConfigString();
}
