namespace Vigil.Core.Checks;

/// <summary>Per-minute rollup of one check: probes, failures, latency average and maximum.</summary>
public readonly record struct MinuteRollup(DateTimeOffset Minute, int Count, int Failures, int AvgLatencyMs, int MaxLatencyMs);
