using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using Vigil.Core.Checks;

namespace Vigil.Probes.Network;

/// <summary>Maps network exceptions to the failure taxonomy with a one-sentence message.</summary>
internal static class NetworkFailure
{
    /// <param name="ex">What was thrown.</param>
    /// <param name="host">The host name that was resolved.</param>
    /// <param name="target">What was contacted, for messages (a URL or host:port).</param>
    public static (FailureReason Reason, string Message) Classify(Exception ex, string host, string target)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } dns)
            {
                return (FailureReason.Dns, $"could not resolve {host} ({Describe(dns)}) for {target}");
            }

            if (e is AuthenticationException auth)
            {
                return (FailureReason.Tls, $"TLS handshake with {target} failed: {Sentence(auth.Message)}");
            }
        }

        if (ex is HttpRequestException http)
        {
            switch (http.HttpRequestError)
            {
                case HttpRequestError.NameResolutionError:
                    return (FailureReason.Dns, $"could not resolve {host} for {target}");
                case HttpRequestError.SecureConnectionError:
                    return (FailureReason.Tls, $"TLS handshake with {target} failed: {Sentence(Innermost(http).Message)}");
                case HttpRequestError.ResponseEnded:
                    return (FailureReason.Connect, $"{target} closed the connection before answering");
                case HttpRequestError.InvalidResponse:
                    return (FailureReason.Connect, $"{target} sent an invalid HTTP response: {Sentence(Innermost(http).Message)}");
                default:
                    break;
            }
        }

        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => (FailureReason.Connect, $"connection to {target} refused"),
                    SocketError.ConnectionReset => (FailureReason.Connect, $"connection to {target} reset by peer"),
                    SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown =>
                        (FailureReason.Connect, $"{target} is unreachable ({Describe(socket)})"),
                    SocketError.TimedOut => (FailureReason.Connect, $"connecting to {target} timed out in the network stack"),
                    _ => (FailureReason.Connect, $"connection to {target} failed ({Describe(socket)})"),
                };
            }
        }

        return (FailureReason.Connect, $"connection to {target} failed: {Sentence(Innermost(ex).Message)}");
    }

    private static string Describe(SocketException ex) =>
        string.IsNullOrWhiteSpace(ex.Message) ? ex.SocketErrorCode.ToString() : ex.Message.TrimEnd('.');

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    private static string Sentence(string message) => message.Trim().TrimEnd('.');
}
