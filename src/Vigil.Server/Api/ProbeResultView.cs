namespace Vigil.Server.Api;

/// <summary>One result of <c>vigil check probe</c>.</summary>
public sealed record ProbeResultView(string Key, string State, string? Reason, long LatencyMs, string? Message, double? Value);
