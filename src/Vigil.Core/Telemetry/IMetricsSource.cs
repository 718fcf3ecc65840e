namespace Vigil.Core.Telemetry;

/// <summary>Gauge values a running server reports to <see cref="VigilMetrics"/>, read at each collection.</summary>
public interface IMetricsSource
{
    /// <summary>The version named by <c>vigil_build_info</c>.</summary>
    string Version { get; }

    /// <summary>Checks per state, keyed by state name (<c>ok</c>, <c>paused</c>…).</summary>
    IEnumerable<KeyValuePair<string, long>> ChecksByState();

    /// <summary>Open incidents per severity, keyed by severity id.</summary>
    IEnumerable<KeyValuePair<string, long>> OpenIncidentsBySeverity();
}
