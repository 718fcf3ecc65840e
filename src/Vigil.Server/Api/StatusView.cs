using Vigil.Server.Config;

namespace Vigil.Server.Api;

/// <summary>
/// The unified summary behind <c>vigil status</c>. <see cref="Windows"/> are the maintenance windows in force now
/// (config and ad hoc), <see cref="Silences"/> the silences in force now, and <see cref="OnCall"/> who is on call
/// now on every schedule.
/// </summary>
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
    IReadOnlyList<LoopHealthView>? Loops = null,
    IReadOnlyList<WindowView>? Windows = null,
    IReadOnlyList<SilenceView>? Silences = null,
    IReadOnlyList<OnCallView>? OnCall = null,
    IReadOnlyList<ServiceBackupHealthView>? Backups = null);

/// <summary>
/// Backup health of one service (over every backup job that names it): the newest verified backup and its age against the
/// service's <c>rpo:</c>, and the last failure (a failing kind of a job, or a job's newest backup that failed).
/// </summary>
public sealed record ServiceBackupHealthView(string Service, IReadOnlyList<string> Jobs, DateTimeOffset? NewestVerifiedAt, double? NewestVerifiedAgeSeconds,
    double? RpoSeconds, bool? WithinRpo, bool Healthy, string? LastFailure);

/// <summary>One background loop (or the store) as the health board sees it: failing once it failed its last turns.</summary>
public sealed record LoopHealthView(string Name, bool Ok, int ConsecutiveFailures, string? LastError, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt);
