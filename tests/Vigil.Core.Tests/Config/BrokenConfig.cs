namespace Vigil.Core.Tests.Config;

/// <summary>
/// One broken config and the error it must produce: a message fragment, the 1-based line, the key
/// path and the file. <see cref="Files"/> holds extra files (for include cases) next to vigil.yaml.
/// </summary>
internal sealed record BrokenConfig(
    string Yaml,
    string Fragment,
    int Line,
    string Path,
    string File = "vigil.yaml",
    IReadOnlyDictionary<string, string>? Files = null);
