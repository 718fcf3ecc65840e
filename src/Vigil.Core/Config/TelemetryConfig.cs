namespace Vigil.Core.Config;

/// <summary>The <c>telemetry:</c> section: Vigil's own metrics and traces (see docs/observability.md). Read at start: a changed section takes effect at the next restart.</summary>
public sealed class TelemetryConfig
{
    /// <summary>OTLP export of traces, metrics and (optionally) logs to a collector; off when unset.</summary>
    public OtlpConfig? Otlp { get; set; }

    /// <summary>The Prometheus <c>/metrics</c> endpoint.</summary>
    public MetricsConfig Metrics { get; set; } = new();
}
