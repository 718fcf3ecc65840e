using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vigil.Core.Telemetry;

/// <summary>
/// Vigil's own metrics: one <see cref="Meter"/> named <see cref="MeterName"/> whose instruments the
/// engine records into, exported by the server as Prometheus <c>/metrics</c> and over OTLP.
/// Labels are bounded by construction: check types, states, sources, severities, channel kinds and
/// outcomes, never ids or URLs. With no listener (metrics and OTLP off) a recording costs one
/// enabled-check. Gauges read their values from the <see cref="IMetricsSource"/>s registered by
/// running servers.
/// </summary>
public static class VigilMetrics
{
    /// <summary>The meter's name (what <c>AddMeter</c> subscribes to).</summary>
    public const string MeterName = "Vigil";

    /// <summary>The SLO meter's name (budget remaining and burn rates), recorded by the SLO engine.</summary>
    public const string SloMeterName = "Vigil.Slo";

    private static readonly Meter Meter = new(MeterName, typeof(VigilMetrics).Assembly.GetName().Version?.ToString(3));
    private static readonly Lock SourcesLock = new();
    private static IMetricsSource[] _sources = [];

    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] LagBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly double[] AckBuckets = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400];
    private static readonly double[] StepBuckets = [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];
    private static readonly long[] BatchBuckets = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

    private static readonly Counter<long> ProbesCounter = Meter.CreateCounter<long>("vigil.probes", "{probe}", "Probes run, by check type and result state.");
    private static readonly Histogram<double> LagHistogram = Meter.CreateHistogram("vigil.check.schedule.lag", "s",
        "How late checks were dispatched against their due time.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
    private static readonly Counter<long> SignalsCounter = Meter.CreateCounter<long>("vigil.signals", "{signal}", "Signals received by the incident engine, by source.");
    private static readonly Histogram<double> AckHistogram = Meter.CreateHistogram("vigil.incident.time_to_acknowledge", "s",
        "Time from an incident opening to its acknowledgement, by severity.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AckBuckets });
    private static readonly Counter<long> NotificationsCounter = Meter.CreateCounter<long>("vigil.notifications", "{attempt}",
        "Notification delivery attempts, by channel kind and outcome (sent, failed, retried).");
    private static readonly Counter<long> IntakeCounter = Meter.CreateCounter<long>("vigil.intake.requests", "{request}",
        "Intake requests, by integration and outcome (accepted, rejected).");
    private static readonly Histogram<double> CommitHistogram = Meter.CreateHistogram("vigil.store.commit.duration", "s",
        "Store write transactions from begin to commit, by kind.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    private static readonly Histogram<long> BatchHistogram = Meter.CreateHistogram<long>("vigil.store.batch.size", "{item}",
        "Items written in one group-commit transaction, by writer.", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchBuckets });
    private static readonly Counter<long> RunsCounter = Meter.CreateCounter<long>("vigil.runbook.runs", "{run}", "Runbook runs that ended, by outcome.");
    private static readonly Histogram<double> StepHistogram = Meter.CreateHistogram("vigil.runbook.step.duration", "s",
        "Runbook step durations, by step status.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StepBuckets });
    private static readonly Counter<long> ReloadsCounter = Meter.CreateCounter<long>("vigil.config.reloads", "{reload}",
        "Config reloads, by result (applied, unchanged, rejected).");
    private static readonly Counter<long> WitnessCounter = Meter.CreateCounter<long>("vigil.audit.witness.deliveries", "{attempt}",
        "Audit checkpoint deliveries to witnesses, by witness id and outcome (delivered, failed).");

    static VigilMetrics()
    {
        Meter.CreateObservableGauge("vigil.checks", () => Gather("state", s => s.ChecksByState()), "{check}", "Checks by current state (ok, warning, critical, unknown, paused).");
        Meter.CreateObservableGauge("vigil.incidents.open", () => Gather("severity", s => s.OpenIncidentsBySeverity()), "{incident}", "Open (not resolved) incidents, by severity.");
        Meter.CreateObservableGauge("vigil.build.info", BuildInfo, null, "Always 1; the labels name the running build.");
    }

    /// <summary>True when something listens to the probe counter (metrics or OTLP on).</summary>
    public static bool Enabled => ProbesCounter.Enabled;

    /// <summary>A probe finished: <paramref name="type"/> like <c>http</c>, <paramref name="result"/> like <c>ok</c>.</summary>
    public static void Probe(string type, string result)
    {
        if (ProbesCounter.Enabled)
        {
            ProbesCounter.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("result", result));
        }
    }

    public static void ScheduleLag(TimeSpan lag)
    {
        if (LagHistogram.Enabled)
        {
            LagHistogram.Record(Math.Max(0, lag.TotalSeconds));
        }
    }

    public static void Signal(string source)
    {
        if (SignalsCounter.Enabled)
        {
            SignalsCounter.Add(1, new KeyValuePair<string, object?>("source", source));
        }
    }

    public static void Acknowledged(string severity, TimeSpan afterOpening)
    {
        if (AckHistogram.Enabled)
        {
            AckHistogram.Record(Math.Max(0, afterOpening.TotalSeconds), new KeyValuePair<string, object?>("severity", severity));
        }
    }

    /// <summary>A delivery attempt: <paramref name="outcome"/> is <c>sent</c>, <c>failed</c> (given up) or <c>retried</c> (will be tried again).</summary>
    public static void Notification(string channel, string outcome)
    {
        if (NotificationsCounter.Enabled)
        {
            NotificationsCounter.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public static void Intake(string integration, bool accepted)
    {
        if (IntakeCounter.Enabled)
        {
            IntakeCounter.Add(1, new KeyValuePair<string, object?>("integration", integration),
                new KeyValuePair<string, object?>("outcome", accepted ? "accepted" : "rejected"));
        }
    }

    /// <summary>Whether commit latency is wanted, so the store reads the clock only then.</summary>
    public static bool CommitLatencyEnabled => CommitHistogram.Enabled;

    /// <summary>A store transaction committed; <paramref name="startTimestamp"/> is from <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public static void Commit(string kind, long startTimestamp)
    {
        if (CommitHistogram.Enabled)
        {
            CommitHistogram.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    public static void Batch(string writer, int items)
    {
        if (BatchHistogram.Enabled)
        {
            BatchHistogram.Record(items, new KeyValuePair<string, object?>("writer", writer));
        }
    }

    public static void RunbookRunEnded(string outcome)
    {
        if (RunsCounter.Enabled)
        {
            RunsCounter.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public static void RunbookStep(string status, TimeSpan duration)
    {
        if (StepHistogram.Enabled)
        {
            StepHistogram.Record(Math.Max(0, duration.TotalSeconds), new KeyValuePair<string, object?>("status", status));
        }
    }

    public static void ConfigReload(string result)
    {
        if (ReloadsCounter.Enabled)
        {
            ReloadsCounter.Add(1, new KeyValuePair<string, object?>("result", result));
        }
    }

    public static void WitnessDelivery(string witness, string outcome)
    {
        if (WitnessCounter.Enabled)
        {
            WitnessCounter.Add(1, new KeyValuePair<string, object?>("witness", witness), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    /// <summary>Adds a running server's gauge values; dispose the result when it stops.</summary>
    public static IDisposable Register(IMetricsSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (SourcesLock)
        {
            _sources = [.. _sources, source];
        }

        return new Registration(source);
    }

    private static IEnumerable<Measurement<long>> Gather(string label, Func<IMetricsSource, IEnumerable<KeyValuePair<string, long>>> values)
    {
        var sums = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var source in Volatile.Read(ref _sources))
        {
            foreach (var (key, value) in values(source))
            {
                sums[key] = sums.GetValueOrDefault(key) + value;
            }
        }

        return sums.Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>(label, kv.Key)));
    }

    private static IEnumerable<Measurement<long>> BuildInfo()
    {
        var sources = Volatile.Read(ref _sources);
        return sources.Length == 0
            ? []
            : [new Measurement<long>(1, new KeyValuePair<string, object?>("version", sources[0].Version),
                new KeyValuePair<string, object?>("runtime", Environment.Version.ToString()))];
    }

    private sealed class Registration(IMetricsSource source) : IDisposable
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
