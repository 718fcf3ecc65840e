using Vigil.Core.Storage;
using Vigil.Server.Health;
using Vigil.Server.Hosting;
using Vigil.Server.Incidents;

namespace Vigil.Server.Telemetry;

/// <summary>
/// Counts open incidents by severity for <c>vigil_incidents_open</c>: once at start, after a commit that
/// changed incidents (at most once per <see cref="MinSpacing"/>), and every <see cref="MaxSleep"/> as a backstop.
/// A collection never reads the store.
/// </summary>
public sealed class TelemetrySampler(IVigilStore store, IncidentPolicies policies, MetricsSource source, TimeProvider time, HealthBoard health)
    : SweepLoop(time, health)
{
    public override string HealthName => "telemetry";

    protected override TimeSpan MaxSleep => TimeSpan.FromSeconds(30);

    protected override int FullBatch => int.MaxValue;

    protected override Task<DateTimeOffset?> NextDueAsync(CancellationToken ct) => Task.FromResult<DateTimeOffset?>(null);

    /// <summary>The least time between two counts: an alert storm commits incident changes hundreds of times a second.</summary>
    public static readonly TimeSpan MinSpacing = TimeSpan.FromSeconds(1);

    protected override TimeSpan WakeSpacing => MinSpacing;

    protected override Task? NextWorkAsync(CancellationToken ct) => store.NextCommitAsync(CommitTopics.Incidents, ct);

    public override async Task<int> SweepAsync(CancellationToken ct)
    {
        // One grouped count, not the open incidents themselves.
        var open = await store.ReadAsync((s, c) => s.Incidents.CountOpenBySeverityAsync(c), ct);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var level in policies.Current.Levels)
        {
            counts[level.Id] = 0;
        }

        foreach (var (severity, count) in open)
        {
            counts[severity] = count;
        }

        source.SetOpenIncidents(counts);
        return 0;
    }
}
