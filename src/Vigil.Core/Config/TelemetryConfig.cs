namespace Vigil.Core.Config;

/// <summary>The <c>telemetry:</c> section: Vigil's own traces and metrics. Not active in this version: the section is validated, but nothing is exported and there is no <c>/metrics</c> endpoint yet.</summary>
public sealed class TelemetryConfig
{
    /// <summary>OTLP export of traces; off when unset.</summary>
    public OtlpConfig? Otlp { get; set; }

    /// <summary>The Prometheus <c>/metrics</c> endpoint.</summary>
    public MetricsConfig Metrics { get; set; } = new();
}
