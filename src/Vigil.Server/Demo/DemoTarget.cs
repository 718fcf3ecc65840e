using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Vigil.Server.Demo;

/// <summary>
/// One fake service of the demo fleet: a tiny HTTP/1.1 responder on its own loopback port, so
/// that HTTP checks and TCP checks both see real sockets. Its behaviour is either commanded
/// (with an optional expiry) or follows a script of (period, failing-for) measured from start.
/// A target with slots (the website) has two sides, <c>blue</c> and <c>green</c>, each with its own
/// mode: the target's port serves the live slot (<see cref="Slot"/>), and <c>/slot/blue/…</c> or
/// <c>/slot/green/…</c> reaches one side directly, so a blue/green runbook can health-check green
/// before it switches traffic to it. Green starts <c>down</c> (not brought up).
/// </summary>
public sealed class DemoTarget : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;
    private readonly object _gate = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _acceptCts;
    private readonly X509Certificate2? _certificate;
    private (DemoMode Mode, DateTimeOffset? Until)? _command;
    private (DemoMode Mode, DateTimeOffset? Until)? _greenCommand;
    private DemoMode _greenBaseline = DemoMode.Down;

    /// <summary>The two sides of a target with slots.</summary>
    public static readonly IReadOnlyList<string> SlotNames = ["blue", "green"];

    internal DemoTarget(string name, string description, (TimeSpan Period, TimeSpan FailFor, TimeSpan Offset)? script, TimeProvider time,
        X509Certificate2? certificate = null, bool slots = false)
    {
        _certificate = certificate;
        Slot = slots ? "blue" : null;
        Name = name;
        Description = description;
        Script = script;
        _time = time;
        _started = time.GetUtcNow();
    }

    public string Name { get; }

    public string Description { get; }

    public int Port { get; private set; }

    public string Url => $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}";

    public (TimeSpan Period, TimeSpan FailFor, TimeSpan Offset)? Script { get; }

    /// <summary>The slot that serves the target's port (<c>blue</c> or <c>green</c>); null for a target without slots.</summary>
    public string? Slot { get; private set; }

    public DateTimeOffset? CommandUntil => CommandOf(Slot)?.Until;

    public bool Commanded => CommandOf(Slot) is not null;

    /// <summary>The mode in force now on the live side: a live command wins over the script.</summary>
    public DemoMode Mode => ModeOf(Slot);

    /// <summary>Whether <paramref name="slot"/> names a side of this target (null, the live side, always does).</summary>
    public bool HasSlot(string? slot) => slot is null || (Slot is not null && SlotNames.Contains(slot));

    private (DemoMode Mode, DateTimeOffset? Until)? CommandOf(string? slot) => slot == "green" ? _greenCommand : _command;

    /// <summary>The mode in force now on one side (null: the live side).</summary>
    public DemoMode ModeOf(string? slot)
    {
        slot ??= Slot;
        var now = _time.GetUtcNow();
        if (CommandOf(slot) is { } c && (c.Until is null || c.Until > now))
        {
            return c.Mode;
        }

        if (slot == "green")
        {
            return _greenBaseline;
        }

        if (Script is { } s)
        {
            var into = (now - _started - s.Offset).Ticks;
            if (into >= 0 && into % s.Period.Ticks < s.FailFor.Ticks)
            {
                return DemoMode.Failing;
            }
        }

        return DemoMode.Healthy;
    }

    internal void Start(int port = 0)
    {
        lock (_gate)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _acceptCts?.Dispose();
            _acceptCts = new CancellationTokenSource();
            _ = AcceptLoopAsync(_listener, _acceptCts.Token);
        }
    }

    /// <summary>Commands a mode, for a while or until the next command (<paramref name="duration"/> null), on the live side or on <paramref name="slot"/>.</summary>
    public void Command(DemoMode mode, TimeSpan? duration, string? slot = null)
    {
        lock (_gate)
        {
            var command = (mode, duration is { } d ? _time.GetUtcNow() + d : (DateTimeOffset?)null);
            if ((slot ?? Slot) == "green")
            {
                _greenCommand = command;
            }
            else
            {
                _command = command;
            }

            SyncListener();
        }
    }

    /// <summary>Brings a side up: a side that is down becomes healthy; a running one (even a failing one) is left as it is.</summary>
    public void StartSlot(string slot)
    {
        lock (_gate)
        {
            if (ModeOf(slot) == DemoMode.Down)
            {
                if (slot == "green")
                {
                    _greenBaseline = DemoMode.Healthy;
                    _greenCommand = null;
                }
                else
                {
                    _command = null;
                }
            }

            SyncListener();
        }
    }

    /// <summary>Switches the target's port to serve <paramref name="slot"/>.</summary>
    public void Serve(string slot)
    {
        lock (_gate)
        {
            Slot = slot;
            SyncListener();
        }
    }

    /// <summary>Opens or closes the listener to match <see cref="Mode"/>; called on commands and by the fleet's tick.</summary>
    internal void SyncListener()
    {
        lock (_gate)
        {
            var down = Mode == DemoMode.Down;
            if (down && _listener is not null)
            {
                _acceptCts!.Cancel();
                _listener.Stop();
                _listener = null;
            }
            else if (!down && _listener is null)
            {
                Start(Port);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _acceptCts?.Cancel();
            _listener?.Stop();
            _listener = null;
        }

        return ValueTask.CompletedTask;
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client, ct);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            try
            {
                await using Stream stream = client.GetStream() is var raw && _certificate is null ? raw : new SslStream(raw, leaveInnerStreamOpen: false);
                if (stream is SslStream tls)
                {
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, ct);
                }

                var buffer = new byte[8192];
                var read = 0;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                // Read the request head; a bare TCP connect (a tcp check) simply closes.
                while (read < buffer.Length)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    read += n;
                    if (buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) >= 0)
                    {
                        break;
                    }
                }

                // "/slot/green/health" reaches the green side whichever slot is live; anything else the live slot.
                var path = Encoding.ASCII.GetString(buffer, 0, read).Split(' ', 3) is { Length: 3 } parts ? parts[1] : "/";
                var slot = Slot is not null ? SlotNames.FirstOrDefault(s => path == $"/slot/{s}" || path.StartsWith($"/slot/{s}/", StringComparison.Ordinal)) ?? Slot : null;
                var mode = ModeOf(slot);
                var slotJson = slot is null ? "" : $",\"slot\":\"{slot}\"";
                if (mode == DemoMode.Down)
                {
                    // Only a side that is not live can be down here (a live side that is down closes the listener).
                    var down = Encoding.UTF8.GetBytes($"{{\"status\":\"down\",\"service\":\"{Name}\"{slotJson}}}");
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {down.Length}\r\nConnection: close\r\n\r\n"), ct);
                    await stream.WriteAsync(down, ct);
                    return;
                }

                if (mode == DemoMode.Slow)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), _time, ct);
                }

                var (status, reason, body) = mode == DemoMode.Failing
                    ? (500, "Internal Server Error", $"{{\"status\":\"error\",\"service\":\"{Name}\"{slotJson}}}")
                    : (200, "OK", $"{{\"status\":\"ok\",\"service\":\"{Name}\"{slotJson}}}");
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
                await stream.WriteAsync(bytes, ct);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or AuthenticationException)
            {
                // A client that goes away mid-request is normal for probes with timeouts.
            }
        }
    }
}
