namespace Vigil.Server.Checks;

/// <summary>Counters of the checks engine since start.</summary>
public sealed record EngineStats(long Probes, long Skipped, TimeSpan LagP50, TimeSpan LagP99, int Checks);
