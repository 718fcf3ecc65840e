namespace Vigil.Core.Config;

/// <summary>
/// A latency SLI (<c>latency:</c>): the share of the checks' probes that were ok and no slower than
/// <c>threshold</c>, from check history. "p95 &lt; 200ms" is <c>objective: 95%</c> with <c>threshold: 200ms</c>.
/// </summary>
public sealed class SloLatencyConfig
{
    /// <summary>The slowest a good probe may be, like 200ms.</summary>
    [Mandatory]
    [Positive]
    public TimeSpan? Threshold { get; set; }

    /// <summary>Check ids of this service whose probes count; empty means all of them.</summary>
    public IReadOnlyList<string> Checks { get; set; } = [];
}
