namespace Vigil.Server.Api;

/// <summary>Answer of <c>GET /api/v1/checks/stats</c>.</summary>
public sealed record CheckEngineStatsView(int Checks, long Probes, long Skipped, double LagP50Ms, double LagP99Ms);
