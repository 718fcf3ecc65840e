using System.Text;
using Vigil.Core.Checks;
using Vigil.Probes.Tests.Support;

namespace Vigil.Probes.Tests.Tcp;

public sealed class TcpProberTests : IDisposable
{
    private readonly ProbeRunner _runner = Make.Runner();

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task Probe_ListeningPort_IsOk()
    {
        await using var server = TestTcpServer.Start(TestTcpServer.Silent);

        var result = await _runner.ProbeAsync(Make.Tcp("127.0.0.1", server.Port));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.StartsWith($"connected to 127.0.0.1:{server.Port}", result.Message);
    }

    [Fact]
    public async Task Probe_SendAndExpectedReply_IsOk()
    {
        await using var server = TestTcpServer.Start(EchoUpperAsync);

        var result = await _runner.ProbeAsync(Make.Tcp("localhost", server.Port, t => { t.Send = "ping\n"; t.Expect = "PING"; }));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.Contains("replied with \"PING\"", result.Message);
    }

    [Fact]
    public async Task Probe_BannerWithoutSend_IsOk()
    {
        await using var server = TestTcpServer.Start((s, ct) => WriteAsync(s, "220 smtp ready\r\n", ct));

        var result = await _runner.ProbeAsync(Make.Tcp("127.0.0.1", server.Port, t => t.Expect = "220"));

        Assert.Equal(HealthState.Ok, result.State);
    }

    [Fact]
    public async Task Probe_WrongReplyThenClose_IsCriticalBody()
    {
        await using var server = TestTcpServer.Start((s, ct) => WriteAsync(s, "-ERR auth\r\n", ct));

        var result = await _runner.ProbeAsync(Make.Tcp("127.0.0.1", server.Port, t => { t.Send = "PING\r\n"; t.Expect = "+PONG"; }));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Body, result.Reason);
        Assert.Equal($"127.0.0.1:{server.Port} replied \"-ERR auth\\r\\n\" (expected \"+PONG\")", result.Message);
    }

    [Fact]
    public async Task Probe_WrongReplyKeptOpen_IsCriticalBodyAtTimeout()
    {
        await using var server = TestTcpServer.Start(async (s, ct) =>
        {
            await WriteAsync(s, "hello", ct);
            await Task.Delay(Timeout.Infinite, ct);
        });

        var result = await _runner.ProbeAsync(Make.Tcp("127.0.0.1", server.Port, t => t.Expect = "bye", TimeSpan.FromMilliseconds(500)));

        Assert.Equal(FailureReason.Body, result.Reason);
        Assert.Contains("replied \"hello\" without \"bye\" before the timeout", result.Message);
    }

    [Fact]
    public async Task Probe_SilentServerWithExpect_IsCriticalTimeout()
    {
        var clock = Make.FakeClock();
        using var runner = Make.Runner(clock);
        await using var server = TestTcpServer.Start(TestTcpServer.Silent);

        var probe = runner.ProbeAsync(Make.Tcp("127.0.0.1", server.Port, t => t.Expect = "hi", TimeSpan.FromSeconds(3)));
        await server.Accepted.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(3));
        var result = await probe.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(FailureReason.Timeout, result.Reason);
        Assert.Equal($"no answer from 127.0.0.1:{server.Port} within 3s", result.Message);
    }

    [Fact]
    public async Task Probe_Refused_IsCriticalConnect()
    {
        var port = Ports.Closed();

        var result = await _runner.ProbeAsync(Make.Tcp("127.0.0.1", port));

        Assert.Equal(FailureReason.Connect, result.Reason);
        Assert.Equal($"connection to 127.0.0.1:{port} refused", result.Message);
    }

    [Fact]
    public async Task Probe_UnknownHost_IsCriticalDns()
    {
        var result = await _runner.ProbeAsync(Make.Tcp("db.nowhere.test", 5432));

        Assert.Equal(FailureReason.Dns, result.Reason);
        Assert.StartsWith("could not resolve db.nowhere.test", result.Message);
    }

    [Fact]
    public async Task Probe_TlsWithVerifyOff_IsOkOverTls()
    {
        await using var server = TestTcpServer.StartTls(TestCertificates.Server(), EchoUpperAsync);

        var result = await _runner.ProbeAsync(Make.Tcp("localhost", server.Port, t => { t.Tls = true; t.TlsVerify = false; t.Send = "ping"; t.Expect = "PING"; }));

        Assert.Equal(HealthState.Ok, result.State);
    }

    [Fact]
    public async Task Probe_TlsWithVerifyOnSelfSigned_IsCriticalTls()
    {
        await using var server = TestTcpServer.StartTls(TestCertificates.Server());

        var result = await _runner.ProbeAsync(Make.Tcp("localhost", server.Port, t => t.Tls = true));

        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.StartsWith($"TLS handshake with localhost:{server.Port} failed", result.Message);
    }

    private static async Task EchoUpperAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[256];
        var n = await stream.ReadAsync(buffer, ct);
        await WriteAsync(stream, Encoding.UTF8.GetString(buffer, 0, n).ToUpperInvariant(), ct);
        await Task.Delay(Timeout.Infinite, ct);
    }

    private static async Task WriteAsync(Stream stream, string text, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await stream.FlushAsync(ct);
    }
}
