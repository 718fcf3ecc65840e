using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Vigil.Core.Config;
using Vigil.Server.Auth;
using Vigil.Server.WebConsole;

namespace Vigil.Server.Telemetry;

/// <summary>
/// <c>telemetry.metrics.listen</c>: a second, minimal Kestrel app that serves only the scraping
/// endpoint, from the main app's meter provider and with the main app's token checks. It starts
/// when the main app has started and stops when it stops. A failure to bind is logged and leaves
/// the main app running (metrics are not worth an outage).
/// </summary>
internal sealed partial class MetricsListener(WebApplication main, MetricsConfig metrics)
{
    private WebApplication? _app;

    /// <summary>The address it listens on once started (tests bind port 0).</summary>
    public Uri? Address { get; private set; }

    public void Start()
    {
        var logger = main.Services.GetRequiredService<ILogger<MetricsListener>>();
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls(metrics.Listen!);
            builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
            builder.Services.AddRouting();
            builder.Services.AddSingleton(main.Services.GetRequiredService<TokenLookup>());
            builder.Services.AddSingleton(main.Services.GetRequiredService<ConsoleSessions>());
            var app = builder.Build();
            app.UseRouting();
            app.UseMiddleware<TokenAuthMiddleware>();
            VigilTelemetry.Secure(app.MapPrometheusScrapingEndpoint(metrics.Path, main.Services.GetRequiredService<MeterProvider>(), null, null), metrics);
            app.StartAsync().GetAwaiter().GetResult();
            _app = app;
            Address = Hosting.VigilServer.ListeningAddress(app);
            main.Services.GetRequiredService<MetricsAddress>().Set(Address);
            LogListening(logger, Address);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            LogFailed(logger, metrics.Listen!, ex.Message);
        }
    }

    public void Stop()
    {
        if (_app is { } app)
        {
            app.StopAsync().GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics on {Address}")]
    private static partial void LogListening(ILogger logger, Uri address);

    [LoggerMessage(Level = LogLevel.Error, Message = "telemetry.metrics.listen: cannot listen on {Listen}: {Error}. Metrics are not served; Vigil runs on.")]
    private static partial void LogFailed(ILogger logger, string listen, string error);
}
