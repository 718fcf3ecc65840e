using Vigil.Server.Config;

namespace Vigil.Server.Api;

/// <summary>Answer to <c>POST /api/v1/config/reload</c>; <see cref="Warnings"/> are those of the config in force.</summary>
public sealed record ReloadView(ReloadOutcome Outcome, string Digest, IReadOnlyList<string> Errors, IReadOnlyList<string>? Warnings = null);
