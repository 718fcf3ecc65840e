namespace Vigil.Server.Api;

/// <summary>A check's state changes (newest first) and hourly rollups with their minutes (oldest first).</summary>
public sealed record CheckHistoryView(string Key, DateTimeOffset Since, IReadOnlyList<StateChangeView> Changes, IReadOnlyList<HourView> Hours);

public sealed record StateChangeView(DateTimeOffset At, string From, string To, string? Reason, string? Message, bool Flapping);

public sealed record HourView(DateTimeOffset Hour, int Count, int Failures, IReadOnlyDictionary<string, int> FailuresByReason,
    int MinLatencyMs, int AvgLatencyMs, int MaxLatencyMs, int P95LatencyMs, IReadOnlyList<MinuteView> Minutes);

public sealed record MinuteView(DateTimeOffset Minute, int Count, int Failures, int AvgLatencyMs, int MaxLatencyMs);
