namespace Vigil.Core.Config;

/// <summary>
/// A service level objective (<c>slo:</c>), computed from check history. Error budget and
/// multi-window burn-rate alerts follow the SRE workbook. Not active in this version: validated, but
/// nothing is computed yet.
/// </summary>
public sealed class SloConfig : IConfigValidatable
{
    /// <summary>Target share of successful check runs over the window, like <c>99.5%</c>.</summary>
    public Percentage? Availability { get; set; }

    /// <summary>Target 50th percentile of check latency.</summary>
    [Positive]
    public TimeSpan? LatencyP50 { get; set; }

    /// <summary>Target 90th percentile of check latency.</summary>
    [Positive]
    public TimeSpan? LatencyP90 { get; set; }

    /// <summary>Target 95th percentile of check latency.</summary>
    [Positive]
    public TimeSpan? LatencyP95 { get; set; }

    /// <summary>Target 99th percentile of check latency.</summary>
    [Positive]
    public TimeSpan? LatencyP99 { get; set; }

    /// <summary>Rolling window the objective is measured over.</summary>
    [Positive]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Check ids of this service that count towards the SLO; empty means all of them.</summary>
    public IReadOnlyList<string> Checks { get; set; } = [];

    /// <summary>Whether burn-rate alerts are raised (14.4x/6x page, 3x/1x ticket).</summary>
    public bool BurnRateAlerts { get; set; } = true;

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (Availability is null && LatencyP50 is null && LatencyP90 is null && LatencyP95 is null && LatencyP99 is null)
        {
            context.Error(path, "an SLO needs an objective: set `availability` (like 99.9%) or a latency target such as `latency_p95: 500ms`");
        }

        if (Availability is { Value: <= 0 or >= 100 })
        {
            context.Error(ConfigPath.Member(path, "availability"), "`availability` must be above 0% and below 100% (100% leaves no error budget); use something like 99.9%");
        }

        if (Window < TimeSpan.FromHours(1) || Window > TimeSpan.FromDays(366))
        {
            context.Error(ConfigPath.Member(path, "window"), "`window` must be between 1h and 366d; 28d or 30d is usual");
        }
    }
}
