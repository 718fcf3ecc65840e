using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Vigil.Core.Config;
using Vigil.Probes.Network;

namespace Vigil.Probes.Http;

/// <summary>
/// One <see cref="SocketsHttpHandler"/> per combination of TLS verification, redirects, connection
/// reuse and client certificate, shared by every check with that combination. Creating a handler
/// per probe would cost far more than the probe; sharing one and disabling pooling
/// (<see cref="SocketsHttpHandler.PooledConnectionLifetime"/> = 0 plus <c>Connection: close</c>)
/// still gives each probe a fresh DNS lookup, connect and TLS handshake, like blackbox_exporter.
/// </summary>
internal sealed class HttpClientPool : IDisposable
{
    private readonly ConcurrentDictionary<HttpClientKey, Lazy<HttpMessageInvoker>> _invokers = new();
    private readonly IHostResolver _resolver;
    private readonly ProbeOptions _options;

    public HttpClientPool(IHostResolver resolver, ProbeOptions options)
    {
        _resolver = resolver;
        _options = options;
    }

    /// <exception cref="CertificateLoadException">The client certificate could not be loaded.</exception>
    public HttpMessageInvoker Get(bool tlsVerify, bool followRedirects, bool reuseConnections, ClientCertificateConfig? clientCert = null)
    {
        var key = new HttpClientKey(tlsVerify, followRedirects, reuseConnections,
            clientCert is null ? null : ClientCertificateLoader.Identity(clientCert, _options));
        var lazy = _invokers.GetOrAdd(key, k => new Lazy<HttpMessageInvoker>(() => Create(k, clientCert), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch (CertificateLoadException)
        {
            // Do not cache the failure: the file may be fixed before the next run.
            _invokers.TryRemove(new KeyValuePair<HttpClientKey, Lazy<HttpMessageInvoker>>(key, lazy));
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _invokers.Values)
        {
            if (lazy.IsValueCreated)
            {
                lazy.Value.Dispose();
            }
        }

        _invokers.Clear();
    }

    private HttpMessageInvoker Create(HttpClientKey key, ClientCertificateConfig? clientCert)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            // Revocation lookups would go to the network on every fresh handshake.
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (!key.TlsVerify)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }

        if (clientCert is not null)
        {
            var cert = ClientCertificateLoader.Load(clientCert, _options);
            ssl.ClientCertificates = [cert];

            // Always offer our certificate, even when the server's list of acceptable issuers does not name its CA.
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => cert;
        }

        var resolver = _resolver;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = key.FollowRedirects,
            MaxAutomaticRedirections = 10,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ActivityHeadersPropagator = null,
            PooledConnectionLifetime = key.ReuseConnections ? TimeSpan.FromMinutes(5) : TimeSpan.Zero,
            PooledConnectionIdleTimeout = key.ReuseConnections ? TimeSpan.FromMinutes(2) : TimeSpan.FromSeconds(1),
            SslOptions = ssl,
            ConnectCallback = async (context, ct) =>
            {
                var socket = await SocketConnector.ConnectAsync(resolver, context.DnsEndPoint.Host, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }
}
