using Microsoft.AspNetCore.Builder;

namespace Vigil.Server.Hosting;

/// <summary>
/// Outcome of preparing a server: a ready-to-run app, or the reasons it cannot start (config
/// errors give exit code 2, other failures 1).
/// </summary>
public sealed record StartResult(WebApplication? App, IReadOnlyList<string> Errors, bool IsConfigError, string? NewAdminToken, string DataDirectory);
