namespace Vigil.Core.Config;

/// <summary>A 1-based position in a config file.</summary>
internal readonly record struct SourceLocation(string File, int Line, int Column);
