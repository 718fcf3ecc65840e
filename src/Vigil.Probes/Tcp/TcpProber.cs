using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Network;

namespace Vigil.Probes.Tcp;

/// <summary>TCP check: connect (optionally in TLS), optionally send text and expect a reply containing a substring.</summary>
internal sealed class TcpProber : IProber
{
    /// <summary>How much of the reply is searched for <c>expect</c>.</summary>
    internal const int MaxReplyBytes = 64 * 1024;

    private readonly IHostResolver _resolver;
    private readonly TimeProvider _timeProvider;

    public TcpProber(IHostResolver resolver, TimeProvider timeProvider)
    {
        _resolver = resolver;
        _timeProvider = timeProvider;
    }

    public CheckKind Kind => CheckKind.Tcp;

    public async Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        var tcp = check.Tcp ?? throw new ArgumentException("not a tcp check", nameof(check));
        var target = CheckTarget.HostPort(tcp.Host, tcp.Port);
        var start = _timeProvider.GetTimestamp();

        Socket socket;
        try
        {
            socket = await SocketConnector.ConnectAsync(_resolver, tcp.Host, tcp.Port, ct);
        }
        catch (SocketException ex) when (!ct.IsCancellationRequested)
        {
            var (reason, message) = NetworkFailure.Classify(ex, tcp.Host, target);
            return ProbeResult.Critical(reason, Elapsed(start), message);
        }

        await using var stream = await WrapAsync(socket, tcp, ct);
        if (stream.Failure is { } tlsFailure)
        {
            return ProbeResult.Critical(FailureReason.Tls, Elapsed(start), $"TLS handshake with {target} failed: {tlsFailure}");
        }

        try
        {
            if (tcp.Send is { Length: > 0 } send)
            {
                await stream.Stream.WriteAsync(Encoding.UTF8.GetBytes(send), ct);
                await stream.Stream.FlushAsync(ct);
            }

            if (tcp.Expect is not { Length: > 0 } expect)
            {
                return ProbeResult.Ok(Elapsed(start), $"connected to {target}{(stream.IsTls ? " over TLS" : string.Empty)} in {ProbeText.Time(Elapsed(start))}");
            }

            return await ExpectAsync(stream.Stream, expect, target, start, ct);
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            var (reason, message) = NetworkFailure.Classify(ex, tcp.Host, target);
            return ProbeResult.Critical(reason, Elapsed(start), message);
        }
    }

    private async Task<ProbeResult> ExpectAsync(Stream stream, string expect, string target, long start, CancellationToken ct)
    {
        var buffer = new byte[MaxReplyBytes];
        var count = 0;
        var decoder = Encoding.UTF8;
        try
        {
            while (count < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(count), ct);
                if (n == 0)
                {
                    break;
                }

                count += n;
                if (decoder.GetString(buffer, 0, count).Contains(expect, StringComparison.Ordinal))
                {
                    return ProbeResult.Ok(Elapsed(start), $"{target} replied with {ProbeText.Quote(expect)} in {ProbeText.Time(Elapsed(start))}");
                }
            }
        }
        catch (OperationCanceledException) when (count > 0)
        {
            // The server answered but never with the expected text: that is a wrong reply, not a silent one.
            return ProbeResult.Critical(FailureReason.Body, Elapsed(start),
                $"{target} replied {ProbeText.Quote(decoder.GetString(buffer, 0, count), 60)} without {ProbeText.Quote(expect)} before the timeout");
        }

        var got = count == 0 ? "closed the connection without replying" : $"replied {ProbeText.Quote(decoder.GetString(buffer, 0, count), 60)}";
        var limit = count >= buffer.Length ? $" in the first {ProbeText.Bytes(buffer.Length)}" : string.Empty;
        return ProbeResult.Critical(FailureReason.Body, Elapsed(start), $"{target} {got}{limit} (expected {ProbeText.Quote(expect)})");
    }

    private static async Task<WrappedStream> WrapAsync(Socket socket, TcpCheckConfig tcp, CancellationToken ct)
    {
        var network = new NetworkStream(socket, ownsSocket: true);
        if (!tcp.Tls)
        {
            return new WrappedStream(network, false, null);
        }

        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = tcp.Host,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = tcp.TlsVerify ? null : static (_, _, _, _) => true,
            }, ct);
            return new WrappedStream(ssl, true, null);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException && !ct.IsCancellationRequested)
        {
            return new WrappedStream(ssl, true, ex.Message.TrimEnd('.'));
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    private TimeSpan Elapsed(long start) => _timeProvider.GetElapsedTime(start);

    private sealed record WrappedStream(Stream Stream, bool IsTls, string? Failure) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Stream.DisposeAsync();
    }
}
