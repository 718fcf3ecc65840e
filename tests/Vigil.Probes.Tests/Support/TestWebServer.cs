using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Probes.Tests.Support;

/// <summary>A real Kestrel on 127.0.0.1:0, optionally HTTPS with an optional client-certificate requirement.</summary>
internal sealed class TestWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestWebServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>Like http://127.0.0.1:41234, without a trailing slash.</summary>
    public string BaseUrl { get; }

    public int Port => new Uri(BaseUrl).Port;

    public string Url(string path) => BaseUrl + path;

    public static async Task<TestWebServer> StartAsync(
        Action<WebApplication> map,
        X509Certificate2? serverCertificate = null,
        Func<X509Certificate2, bool>? requireClientCertificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (serverCertificate is null)
                {
                    return;
                }

                var https = new HttpsConnectionAdapterOptions { ServerCertificate = serverCertificate };
                if (requireClientCertificate is not null)
                {
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.ClientCertificateValidation = (cert, _, _) => requireClientCertificate(cert);
                }

                listen.UseHttps(https);
            });
        });

        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestWebServer(app, address.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
