using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Server.Tests.Notifications;

/// <summary>
/// A small SMTP server on 127.0.0.1:0 that speaks enough of RFC 5321 for a real client: 220
/// greeting, EHLO/HELO, optional AUTH PLAIN, MAIL FROM, RCPT TO, DATA (with dot-unstuffing),
/// RSET, NOOP and QUIT. Every accepted message is captured with its envelope. Behaviour knobs
/// let tests reject recipients, demand authentication, or never greet at all.
/// </summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly ConcurrentBag<TcpClient> _clients = [];

    public SmtpTestServer(SmtpBehaviour? behaviour = null)
    {
        Behaviour = behaviour ?? new SmtpBehaviour();
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public SmtpBehaviour Behaviour { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Messages accepted with 250 after DATA.</summary>
    public ConcurrentQueue<SmtpCapture> Messages { get; } = new();

    /// <summary>Every command line received, in order, across sessions (AUTH payloads included).</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>Completes when a client has connected.</summary>
    public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _clients.Add(client);
            Connected.TrySetResult();
            _ = Task.Run(() => SessionAsync(client));
        }
    }

    private async Task SessionAsync(TcpClient client)
    {
        try
        {
            using var connection = client;
            var stream = client.GetStream();
            var reader = new StreamReader(stream, new UTF8Encoding(false));
            var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            var ct = _stop.Token;
            if (!Behaviour.Greet)
            {
                // A server that accepts and then says nothing: the client must give up on its own deadline.
                await Task.Delay(Timeout.Infinite, ct);
            }

            await writer.WriteLineAsync("220 localhost ESMTP vigil-test");
            string? from = null;
            var rcpt = new List<string>();
            string? authUser = null;
            string? authPassword = null;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                Commands.Enqueue(line);
                var verb = (line.Length >= 4 ? line[..4] : line).ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-localhost greets you");
                        if (Behaviour.Credentials is not null)
                        {
                            await writer.WriteLineAsync("250-AUTH PLAIN");
                        }

                        await writer.WriteLineAsync("250 HELP");
                        break;
                    case "HELO":
                        await writer.WriteLineAsync("250 localhost");
                        break;
                    case "AUTH":
                        {
                            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                            if (parts.Length < 2 || !parts[1].Equals("PLAIN", StringComparison.OrdinalIgnoreCase) || Behaviour.Credentials is null)
                            {
                                await writer.WriteLineAsync("504 5.5.4 Unrecognized authentication type");
                                break;
                            }

                            var payload = parts.Length >= 3 ? parts[2] : null;
                            if (payload is null)
                            {
                                await writer.WriteLineAsync("334 ");
                                payload = await reader.ReadLineAsync(ct) ?? "";
                                Commands.Enqueue(payload);
                            }

                            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(payload)).Split('\0');
                            authUser = fields.Length > 1 ? fields[1] : null;
                            authPassword = fields.Length > 2 ? fields[2] : null;
                            if (authUser == Behaviour.Credentials.Value.User && authPassword == Behaviour.Credentials.Value.Password)
                            {
                                await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                            }
                            else
                            {
                                await writer.WriteLineAsync(Behaviour.AuthFailureReply?.Invoke(authUser ?? "", authPassword ?? "") ?? "535 5.7.8 Authentication credentials invalid");
                                authUser = authPassword = null;
                            }

                            break;
                        }

                    case "MAIL":
                        if (Behaviour.Credentials is not null && authUser is null)
                        {
                            await writer.WriteLineAsync("530 5.7.0 Authentication required");
                            break;
                        }

                        from = Address(line);
                        rcpt.Clear();
                        await writer.WriteLineAsync("250 2.1.0 Ok");
                        break;
                    case "RCPT":
                        {
                            var address = Address(line);
                            if (Behaviour.RejectRecipient?.Invoke(address) is { } rejection)
                            {
                                await writer.WriteLineAsync(rejection);
                                break;
                            }

                            rcpt.Add(address);
                            await writer.WriteLineAsync("250 2.1.5 Ok");
                            break;
                        }

                    case "DATA":
                        {
                            if (from is null || rcpt.Count == 0)
                            {
                                await writer.WriteLineAsync("503 5.5.1 Error: need RCPT command");
                                break;
                            }

                            await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                            var data = new StringBuilder();
                            while (await reader.ReadLineAsync(ct) is { } dataLine && dataLine != ".")
                            {
                                data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                            }

                            Messages.Enqueue(new SmtpCapture(from, [.. rcpt], data.ToString(), authUser, authPassword));
                            await writer.WriteLineAsync("250 2.0.0 Ok: queued as TEST1");
                            from = null;
                            rcpt.Clear();
                            break;
                        }

                    case "RSET":
                        from = null;
                        rcpt.Clear();
                        await writer.WriteLineAsync("250 2.0.0 Ok");
                        break;
                    case "NOOP":
                        await writer.WriteLineAsync("250 2.0.0 Ok");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Error: command not recognized");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or the server is stopping.
        }
    }

    /// <summary>The address in <c>MAIL FROM:&lt;a@b&gt; SIZE=…</c> or <c>RCPT TO:&lt;a@b&gt;</c>.</summary>
    private static string Address(string line)
    {
        var open = line.IndexOf('<', StringComparison.Ordinal);
        var close = line.IndexOf('>', open + 1);
        return open >= 0 && close > open ? line[(open + 1)..close] : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
