namespace Vigil.Core.Config;

/// <summary>OTLP exporter settings (<c>otlp:</c>).</summary>
public sealed class OtlpConfig
{
    /// <summary>Collector endpoint, like <c>http://localhost:4317</c>.</summary>
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

    /// <summary>Share of traces to keep.</summary>
    public Percentage SampleRatio { get; set; } = new(100);
}
