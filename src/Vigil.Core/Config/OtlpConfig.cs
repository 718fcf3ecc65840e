namespace Vigil.Core.Config;

/// <summary>OTLP exporter settings (<c>otlp:</c>): where Vigil sends its traces, metrics and logs.</summary>
public sealed class OtlpConfig
{
    /// <summary>
    /// Collector base URL, like <c>http://localhost:4317</c> (grpc) or <c>http://localhost:4318</c> (http-protobuf). With
    /// http-protobuf, Vigil appends <c>/v1/traces</c>, <c>/v1/metrics</c> and <c>/v1/logs</c> to it.
    /// </summary>
    [Mandatory]
    [Url("http", "https")]
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>Transport: <c>grpc</c> or <c>http-protobuf</c>.</summary>
    public OtlpProtocol Protocol { get; set; } = OtlpProtocol.Grpc;

    /// <summary>Headers sent to the collector (for example an API key, as <c>${VAR}</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; set; } = new Dictionary<string, string>();

    /// <summary><c>service.name</c> resource attribute.</summary>
    [NotEmpty]
    public string ServiceName { get; set; } = "vigil";

    /// <summary>Export traces.</summary>
    public bool Traces { get; set; } = true;

    /// <summary>Share of traces to keep (decided at the root span; child spans follow their parent).</summary>
    public Percentage SampleRatio { get; set; } = new(100);

    /// <summary>Export metrics (the same instruments <c>/metrics</c> serves).</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>How often metrics are pushed.</summary>
    [Positive]
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Export log records (warnings and above, as Vigil logs them).</summary>
    public bool Logs { get; set; }
}
