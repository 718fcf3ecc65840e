namespace Vigil.Core.Checks;

/// <summary>One raw probe result as kept in history: when, how it went, how long it took.</summary>
public readonly record struct HistorySample(DateTimeOffset At, HealthState State, FailureReason Reason, int LatencyMs);
