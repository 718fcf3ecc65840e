namespace Vigil.Core.Config;

/// <summary>
/// A heartbeat (dead-man's switch) check (<c>heartbeat:</c>). A job pings
/// <c>POST /api/v1/heartbeats/{token}</c>; the check fails when no ping arrives within
/// <c>period</c> (or after a <c>cron</c> occurrence) plus <c>grace</c>. Set exactly one of
/// <c>period</c> or <c>cron</c>.
/// </summary>
public sealed class HeartbeatCheckConfig
{
    /// <summary>Expected time between pings.</summary>
    [Variant]
    [Positive]
    public TimeSpan? Period { get; set; }

    /// <summary>When pings are expected, as a cron expression in <c>timezone</c>.</summary>
    [Variant]
    [Cron]
    public string? Cron { get; set; }

    /// <summary>Time zone of <c>cron</c>.</summary>
    [TimeZoneId]
    public string Timezone { get; set; } = "UTC";

    /// <summary>How late a ping may be before the check fails.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The job this heartbeat watches takes a backup of the service: its last successful ping is the service's newest recovery point, compared with the service's <c>rpo</c> (see docs/slos.md).</summary>
    public bool Backup { get; set; }

    /// <summary>Fixed ping token: at least 16 characters, and no other heartbeat check may use the same one. When unset, Vigil generates one and shows it with <c>vigil check list</c>.</summary>
    [Secret]
    public string? Token { get; set; }
}
