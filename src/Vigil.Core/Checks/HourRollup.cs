namespace Vigil.Core.Checks;

/// <summary>
/// Per-hour rollup of one check: counts, failures by reason, latency min/avg/max/p95, the 60
/// minute rollups, and (while within the raw retention window) every raw sample.
/// </summary>
public sealed record HourRollup(
    string Key,
    DateTimeOffset Hour,
    int Count,
    int Failures,
    IReadOnlyDictionary<FailureReason, int> FailuresByReason,
    int MinLatencyMs,
    int AvgLatencyMs,
    int MaxLatencyMs,
    int P95LatencyMs,
    IReadOnlyList<MinuteRollup> Minutes,
    IReadOnlyList<HistorySample>? Raw);
