namespace Vigil.Server.StatusPage;

/// <summary>Tuning of the status page's snapshot (tests shorten or remove the waits).</summary>
public sealed record StatusPageOptions
{
    /// <summary>How often the uptime bars re-read the current day's rollups (the history is flushed every 15 s).</summary>
    public TimeSpan UptimeRefresh { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The least time between two rebuilds caused by commits, so a burst of incident or check
    /// commits costs one rebuild rather than one each.
    /// </summary>
    public TimeSpan MinRebuildGap { get; init; } = TimeSpan.FromMilliseconds(250);
}
