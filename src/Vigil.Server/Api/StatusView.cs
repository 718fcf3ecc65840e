using Vigil.Server.Config;

namespace Vigil.Server.Api;

/// <summary>The unified summary behind <c>vigil status</c>.</summary>
public sealed record StatusView(
    string Version,
    string Name,
    string Environment,
    string ConfigPath,
    string ConfigDigest,
    DateTimeOffset ConfigLoadedAt,
    ReloadFailure? LastReloadFailure,
    string Store,
    int SchemaVersion,
    DateTimeOffset StartedAt,
    long UptimeSeconds,
    IReadOnlyList<ServiceStatusView> Services,
    IncidentSummaryView? Incidents = null,
    IReadOnlyList<FreezeView>? Freezes = null,
    IReadOnlyList<LoopHealthView>? Loops = null);

/// <summary>One background loop (or the store) as the health board sees it: failing once it failed its last turns.</summary>
public sealed record LoopHealthView(string Name, bool Ok, int ConsecutiveFailures, string? LastError, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt);
