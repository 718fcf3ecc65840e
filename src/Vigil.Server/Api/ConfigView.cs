using Vigil.Server.Config;

namespace Vigil.Server.Api;

/// <summary>The config in force, as <c>GET /api/v1/config</c> shows it (secrets masked), with its load warnings.</summary>
public sealed record ConfigView(string Name, string Digest, string Path, IReadOnlyList<string> SourceFiles, DateTimeOffset LoadedAt, ReloadFailure? LastReloadFailure, string Yaml, IReadOnlyList<string>? Warnings = null);
