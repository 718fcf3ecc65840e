namespace Vigil.Server.Checks;

/// <summary>Tuning of the checks engine.</summary>
public sealed record CheckEngineOptions
{
    /// <summary>At most this many probes run at once, across all checks.</summary>
    public int MaxConcurrency { get; init; } = 512;

    /// <summary>How often in-memory counters and history are written to the store.</summary>
    public TimeSpan FlushEvery { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long raw samples are kept (rollups stay).</summary>
    public TimeSpan RawRetention { get; init; } = TimeSpan.FromHours(48);

    /// <summary>How long hourly and per-minute rollups are kept.</summary>
    public TimeSpan RollupRetention { get; init; } = TimeSpan.FromDays(400);
}
