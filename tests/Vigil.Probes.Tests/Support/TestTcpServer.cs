using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Vigil.Probes.Tests.Support;

/// <summary>A raw TCP listener on 127.0.0.1:0 that runs a handler per connection (optionally after a TLS handshake).</summary>
internal sealed class TestTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Stream, CancellationToken, Task> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly TaskCompletionSource _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    private TestTcpServer(Func<Stream, CancellationToken, Task> handler, X509Certificate2? certificate)
    {
        _handler = handler;
        _certificate = certificate;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Completes when the first connection is accepted (and, for TLS, once its handshake started).</summary>
    public Task Accepted => _accepted.Task;

    /// <summary>The SNI host name the last TLS client asked for.</summary>
    public string? LastServerName { get; private set; }

    public static TestTcpServer Start(Func<Stream, CancellationToken, Task> handler) => new(handler, null);

    public static TestTcpServer StartTls(X509Certificate2 certificate, Func<Stream, CancellationToken, Task>? handler = null) =>
        new(handler ?? ((_, _) => Task.CompletedTask), certificate);

    /// <summary>Handler that keeps the connection open and silent until the server stops.</summary>
    public static Task Silent(Stream stream, CancellationToken ct) => Task.Delay(Timeout.Infinite, ct);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (_certificate is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                _accepted.TrySetResult();
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateSelectionCallback = (_, hostName) =>
                    {
                        LastServerName = hostName;
                        return _certificate;
                    },
                }, _stop.Token);
            }
            else
            {
                _accepted.TrySetResult();
            }

            await _handler(stream, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }
}
