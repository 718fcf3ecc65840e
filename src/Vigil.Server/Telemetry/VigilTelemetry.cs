using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Vigil.Core.Auth;
using Vigil.Core.Config;
using Vigil.Core.Telemetry;
using Vigil.Server.Auth;
using Vigil.Server.Hosting;

namespace Vigil.Server.Telemetry;

/// <summary>
/// Wires the <c>telemetry:</c> section into the app: the OpenTelemetry SDK with Vigil's meters
/// (<see cref="VigilMetrics.MeterName"/>, <see cref="VigilMetrics.SloMeterName"/>) and ASP.NET Core's,
/// the Prometheus scraping endpoint (on <c>vigil.listen</c> or its own <c>metrics.listen</c>), and OTLP
/// export of traces, metrics and logs when <c>otlp.endpoint</c> is set. Read once at start.
/// </summary>
public static class VigilTelemetry
{
    /// <summary>Registers the SDK and the gauge sources. Call before <c>Build</c>.</summary>
    public static void AddVigilTelemetry(this WebApplicationBuilder builder, TelemetryConfig telemetry)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(telemetry);
        var services = builder.Services;
        services.AddSingleton<IncidentTraces>();
        services.AddSingleton<MetricsAddress>();
        services.AddSingleton<MetricsSource>();
        services.AddSingleton<TelemetrySampler>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetrySampler>());

        var otlp = telemetry.Otlp;
        var metrics = telemetry.Metrics.Enabled || otlp is { Metrics: true };
        var traces = otlp is { Traces: true };
        if (!metrics && !traces && otlp is not { Logs: true })
        {
            return;
        }

        var sdk = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(otlp?.ServiceName ?? "vigil", serviceVersion: ServerInfo.CurrentVersion, autoGenerateServiceInstanceId: true));
        if (metrics)
        {
            sdk.WithMetrics(m =>
            {
                m.AddMeter(VigilMetrics.MeterName, VigilMetrics.SloMeterName);
                // Request duration and active requests by route (templates, not URLs): bounded like Vigil's own labels.
                m.AddAspNetCoreInstrumentation();
                if (telemetry.Metrics.Enabled)
                {
                    m.AddPrometheusExporter();
                }

                if (otlp is { Metrics: true })
                {
                    m.AddOtlpExporter((exporter, reader) =>
                    {
                        Configure(exporter, otlp, "metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Math.Min(int.MaxValue, otlp.MetricsInterval.TotalMilliseconds);
                    });
                }
            });
        }

        if (traces)
        {
            sdk.WithTracing(t => t
                .AddSource(VigilTracing.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => IsTraced(http.Request.Path, telemetry.Metrics.Path))
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(otlp!.SampleRatio.Fraction)))
                .AddOtlpExporter(o => Configure(o, otlp, "traces")));
        }

        if (otlp is { Logs: true })
        {
            sdk.WithLogging(l => l.AddOtlpExporter(o => Configure(o, otlp, "logs")));
        }
    }

    /// <summary>Maps the scraping endpoint on the main listener, unless it has its own address (then see <see cref="MetricsListener"/>).</summary>
    public static void MapVigilMetrics(this WebApplication app, TelemetryConfig telemetry)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(telemetry);
        // Created now so the gauges report from the first scrape on.
        app.Services.GetRequiredService<MetricsSource>();
        if (!telemetry.Metrics.Enabled)
        {
            return;
        }

        if (telemetry.Metrics.Listen is null)
        {
            Secure(app.MapPrometheusScrapingEndpoint(telemetry.Metrics.Path), telemetry.Metrics);
        }
        else
        {
            var listener = new MetricsListener(app, telemetry.Metrics);
            app.Lifetime.ApplicationStarted.Register(() => listener.Start());
            app.Lifetime.ApplicationStopping.Register(() => listener.Stop());
        }
    }

    internal static void Secure(IEndpointConventionBuilder endpoint, MetricsConfig metrics)
    {
        endpoint.WithTags("Telemetry").WithSummary("Vigil's own metrics in the Prometheus text exposition format.").ExcludeFromDescription();
        if (metrics.RequireToken)
        {
            endpoint.RequireRole(Role.Viewer);
        }
        else
        {
            endpoint.AllowAnonymousAccess();
        }
    }

    private static bool IsTraced(PathString path, string metricsPath) =>
        !path.StartsWithSegments(metricsPath, StringComparison.Ordinal)
        && !path.StartsWithSegments("/healthz", StringComparison.Ordinal)
        && !path.StartsWithSegments("/readyz", StringComparison.Ordinal);

    private static void Configure(OtlpExporterOptions exporter, OtlpConfig otlp, string signal)
    {
        var endpoint = otlp.Endpoint.TrimEnd('/');
        exporter.Protocol = otlp.Protocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        // A configured endpoint is used as-is by the exporter: for HTTP the signal's path is ours to add.
        exporter.Endpoint = new Uri(otlp.Protocol == OtlpProtocol.Grpc ? endpoint : $"{endpoint}/v1/{signal}");
        if (otlp.Headers.Count > 0)
        {
            exporter.Headers = string.Join(",", otlp.Headers.Select(h => $"{h.Key}={h.Value}"));
        }
    }
}
