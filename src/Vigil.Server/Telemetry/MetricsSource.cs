using Vigil.Core.Checks;
using Vigil.Core.Telemetry;
using Vigil.Server.Checks;
using Vigil.Server.Hosting;

namespace Vigil.Server.Telemetry;

/// <summary>
/// This server's gauge values for <see cref="VigilMetrics"/>: checks by state straight from the
/// registry (read at each collection), open incidents by severity as last counted by
/// <see cref="TelemetrySampler"/>. Registered while the server runs.
/// </summary>
public sealed class MetricsSource : IMetricsSource, IDisposable
{
    private static readonly string[] StateNames = ["ok", "warning", "critical", "unknown", "paused"];

    private readonly CheckRegistry _registry;
    private readonly IDisposable _registration;
    private volatile IReadOnlyDictionary<string, long> _openIncidents = new Dictionary<string, long>();

    public MetricsSource(CheckRegistry registry)
    {
        _registry = registry;
        _registration = VigilMetrics.Register(this);
    }

    public string Version => ServerInfo.CurrentVersion;

    public IEnumerable<KeyValuePair<string, long>> ChecksByState()
    {
        var counts = new long[StateNames.Length];
        foreach (var rt in _registry.Runtimes)
        {
            counts[rt.PausedBy is not null ? 4 : rt.Status.State switch
            {
                HealthState.Ok => 0,
                HealthState.Warning => 1,
                HealthState.Critical => 2,
                _ => 3,
            }]++;
        }

        // Every state is reported, zeros included, so a query for one never finds no series.
        for (var i = 0; i < StateNames.Length; i++)
        {
            yield return new KeyValuePair<string, long>(StateNames[i], counts[i]);
        }
    }

    public IEnumerable<KeyValuePair<string, long>> OpenIncidentsBySeverity() => _openIncidents;

    /// <summary>Replaces the open-incident counts (every configured severity, zeros included).</summary>
    internal void SetOpenIncidents(IReadOnlyDictionary<string, long> counts) => _openIncidents = counts;

    public void Dispose() => _registration.Dispose();
}
