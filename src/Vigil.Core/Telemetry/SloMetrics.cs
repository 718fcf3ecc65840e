using System.Diagnostics.Metrics;
using Vigil.Core.Slos;

namespace Vigil.Core.Telemetry;

/// <summary>
/// The <see cref="VigilMetrics.SloMeterName"/> meter: each SLO's objective, attainment, error budget
/// remaining and burn rates as of the SLO engine's last turn. Labels are bounded by the config:
/// <c>service</c>, <c>slo</c> (configured ids) and <c>window</c> (1h, 6h, 1d, 3d). An SLO with no
/// budget (no events, or an unknown Prometheus SLI) reports its objective only.
/// </summary>
public static class SloMetrics
{
    private static readonly Meter Meter = new(VigilMetrics.SloMeterName, typeof(SloMetrics).Assembly.GetName().Version?.ToString(3));
    private static readonly Lock SourcesLock = new();
    private static Func<IReadOnlyList<SloStatus>>[] _sources = [];

    static SloMetrics()
    {
        Meter.CreateObservableGauge("vigil.slo.objective.ratio", () => Gather(s => [(s.Slo.Objective, null)]), "1", "The SLO's objective as a ratio (0.999 for 99.9%).");
        Meter.CreateObservableGauge("vigil.slo.attainment.ratio", () => Gather(s => s.Budget?.Attainment is { } a ? [(a, null)] : []), "1",
            "Good events over the SLO's window so far, as a ratio.");
        Meter.CreateObservableGauge("vigil.slo.error_budget.remaining.ratio", () => Gather(s => s.Budget is { } b ? [(b.Remaining, null)] : []), "1",
            "Share of the window's error budget left (1 untouched, 0 used up, negative when overspent).");
        Meter.CreateObservableGauge("vigil.slo.burn_rate", () => Gather(s => s.BurnRates.Select(r => (r.Rate, (string?)r.Window))), null,
            "How fast the error budget burns over the window (1 uses it up exactly at the end of the SLO's window).");
    }

    /// <summary>Adds a running SLO engine's statuses; dispose the result when it stops.</summary>
    public static IDisposable Register(Func<IReadOnlyList<SloStatus>> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        lock (SourcesLock)
        {
            _sources = [.. _sources, statuses];
        }

        return new Registration(statuses);
    }

    private static IEnumerable<Measurement<double>> Gather(Func<SloStatus, IEnumerable<(double Value, string? Window)>> values)
    {
        var list = new List<Measurement<double>>();
        foreach (var source in Volatile.Read(ref _sources))
        {
            foreach (var status in source())
            {
                foreach (var (value, window) in values(status))
                {
                    var service = new KeyValuePair<string, object?>("service", status.Slo.Service);
                    var slo = new KeyValuePair<string, object?>("slo", status.Slo.Id);
                    list.Add(window is null
                        ? new Measurement<double>(value, service, slo)
                        : new Measurement<double>(value, service, slo, new KeyValuePair<string, object?>("window", window)));
                }
            }
        }

        return list;
    }

    private sealed class Registration(Func<IReadOnlyList<SloStatus>> source) : IDisposable
    {
        public void Dispose()
        {
            lock (SourcesLock)
            {
                _sources = _sources.Where(s => !ReferenceEquals(s, source)).ToArray();
            }
        }
    }
}
