using Vigil.Core.Storage;
using Vigil.Server.Health;
using Vigil.Server.Hosting;
using Vigil.Server.Incidents;

namespace Vigil.Server.Telemetry;

/// <summary>
/// Counts open incidents by severity for <c>vigil_incidents_open</c>: once at start, after each commit
/// that changed incidents, and every <see cref="MaxSleep"/> as a backstop. A collection never reads the store.
/// </summary>
public sealed class TelemetrySampler(IVigilStore store, IncidentPolicies policies, MetricsSource source, TimeProvider time, HealthBoard health)
    : SweepLoop(time, health)
{
    /// <summary>The most open incidents counted; beyond it the gauge under-reports (and that many open incidents is its own alarm).</summary>
    public const int MaxCounted = 10_000;

    public override string HealthName => "telemetry";

    protected override TimeSpan MaxSleep => TimeSpan.FromSeconds(30);

    protected override int FullBatch => int.MaxValue;

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) => Task.FromResult<DateTimeOffset?>(null);

    protected override Task? NextWorkAsync(CancellationToken ct) => store.NextCommitAsync(CommitTopics.Incidents, ct);

    public override async Task<int> SweepAsync(CancellationToken ct)
    {
        var open = await store.ReadAsync((s, c) => s.Incidents.ListAsync(new IncidentQuery(OpenOnly: true, Limit: MaxCounted), c), ct);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var level in policies.Current.Levels)
        {
            counts[level.Id] = 0;
        }

        foreach (var incident in open)
        {
            counts[incident.Severity] = counts.GetValueOrDefault(incident.Severity) + 1;
        }

        source.SetOpenIncidents(counts);
        return 0;
    }
}
