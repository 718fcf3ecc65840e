using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Vigil.Server.Notifications.Channels;

/// <summary>Turns network exceptions into one sentence that names the target and what went wrong.</summary>
internal static class NetworkErrors
{
    /// <param name="ex">What was thrown.</param>
    /// <param name="target">What was contacted, already safe to show (like <c>webhook http://host:port/path</c>).</param>
    public static string Describe(Exception ex, string target)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } dns)
            {
                return $"could not resolve the host of {target} ({Sentence(dns.Message)})";
            }

            if (e is AuthenticationException auth)
            {
                return $"TLS handshake with {target} failed: {Sentence(auth.Message)}";
            }
        }

        if (ex is HttpRequestException http)
        {
            switch (http.HttpRequestError)
            {
                case HttpRequestError.NameResolutionError:
                    return $"could not resolve the host of {target}";
                case HttpRequestError.SecureConnectionError:
                    return $"TLS handshake with {target} failed: {Sentence(Innermost(http).Message)}";
                case HttpRequestError.ResponseEnded:
                    return $"{target} closed the connection before answering";
                case HttpRequestError.InvalidResponse:
                    return $"{target} sent an invalid HTTP response: {Sentence(Innermost(http).Message)}";
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
                    SocketError.ConnectionRefused => $"connection to {target} refused (is the receiver running?)",
                    SocketError.ConnectionReset => $"connection to {target} reset by the peer",
                    SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown =>
                        $"{target} is unreachable ({Sentence(socket.Message)})",
                    SocketError.TimedOut => $"connecting to {target} timed out in the network stack",
                    _ => $"connection to {target} failed ({Sentence(socket.Message)})",
                };
            }
        }

        if (ex is IOException or HttpRequestException)
        {
            return $"connection to {target} failed: {Sentence(Innermost(ex).Message)}";
        }

        return $"sending to {target} failed: {Sentence(Innermost(ex).Message)}";
    }

    public static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    public static string Sentence(string? message) =>
        string.IsNullOrWhiteSpace(message) ? "no details" : DeliveryText.OneLine(message, 300).TrimEnd('.');
}
