using Vigil.Core.Config;

namespace Vigil.Server.Config;

/// <summary>The config in force, with where and when it was loaded.</summary>
public sealed record ConfigSnapshot(VigilConfig Config, string Path, IReadOnlyList<string> SourceFiles, DateTimeOffset LoadedAt);
