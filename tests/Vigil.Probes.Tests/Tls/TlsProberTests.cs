using System.Text;
using Vigil.Core.Checks;
using Vigil.Probes.Tests.Support;

namespace Vigil.Probes.Tests.Tls;

public sealed class TlsProberTests : IDisposable
{
    private readonly ProbeRunner _runner = Make.Runner();

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task Probe_ValidForMonths_IsOkWithDaysLeftAsValue()
    {
        await using var server = TestTcpServer.StartTls(TestCertificates.Server(validFor: TimeSpan.FromDays(90)));

        var result = await _runner.ProbeAsync(Make.Tls("localhost", server.Port, t => t.TlsVerify = false));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.InRange(result.Value!.Value, 89.9, 90.1);
        Assert.Contains("is valid for 89 days", result.Message);
    }

    [Fact]
    public async Task Probe_ExpiresWithinWarnDays_IsWarningTls()
    {
        await using var server = TestTcpServer.StartTls(TestCertificates.Server(validFor: TimeSpan.FromDays(20.5)));

        var result = await _runner.ProbeAsync(Make.Tls("localhost", server.Port, t => { t.TlsVerify = false; t.WarnDays = 30; t.CriticalDays = 7; }));

        Assert.Equal(HealthState.Warning, result.State);
        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.Contains("expires in 20 days", result.Message);
        Assert.Contains("(warning under 30 days)", result.Message);
    }

    [Fact]
    public async Task Probe_ExpiresWithinCriticalDays_IsCriticalTls()
    {
        await using var server = TestTcpServer.StartTls(TestCertificates.Server(validFor: TimeSpan.FromDays(5.5)));

        var result = await _runner.ProbeAsync(Make.Tls("localhost", server.Port, t => t.TlsVerify = false));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.Contains("expires in 5 days", result.Message);
        Assert.InRange(result.Value!.Value, 5.4, 5.6);
    }

    [Fact]
    public async Task Probe_Expired_IsCriticalTlsWithNegativeDays()
    {
        await using var server = TestTcpServer.StartTls(TestCertificates.Server(expiredFor: TimeSpan.FromDays(3.5)));

        var result = await _runner.ProbeAsync(Make.Tls("localhost", server.Port));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.Contains("expired 3 days ago", result.Message);
        Assert.True(result.Value < 0);
    }

    [Fact]
    public async Task Probe_UntrustedChainWithVerify_IsCriticalTlsWithChainErrors()
    {
        await using var server = TestTcpServer.StartTls(TestCertificates.Server());

        var result = await _runner.ProbeAsync(Make.Tls("localhost", server.Port));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.Contains("does not verify for localhost: chain:", result.Message);
        Assert.NotNull(result.Value);
    }

    [Fact]
    public async Task Probe_WrongHostNameWithVerify_SaysHostNameDoesNotMatch()
    {
        await using var server = TestTcpServer.StartTls(TestCertificates.Server(name: "other.example"));

        var result = await _runner.ProbeAsync(Make.Tls("localhost", server.Port, t => t.ServerName = "api.example"));

        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.Contains("the host name does not match the certificate", result.Message);
    }

    [Fact]
    public async Task Probe_ServerName_IsSentAsSni()
    {
        await using var server = TestTcpServer.StartTls(TestCertificates.Server(name: "api.example"));

        var result = await _runner.ProbeAsync(Make.Tls("127.0.0.1", server.Port, t => { t.ServerName = "api.example"; t.TlsVerify = false; }));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.Equal("api.example", server.LastServerName);
    }

    [Fact]
    public async Task Probe_PlainTextServer_IsCriticalTlsHandshakeFailed()
    {
        await using var server = TestTcpServer.Start(async (s, ct) =>
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"), ct);
        });

        var result = await _runner.ProbeAsync(Make.Tls("127.0.0.1", server.Port));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.StartsWith($"TLS handshake with 127.0.0.1:{server.Port} failed", result.Message);
    }

    [Fact]
    public async Task Probe_ServerNeverHandshakes_IsCriticalTimeout()
    {
        var clock = Make.FakeClock();
        using var runner = Make.Runner(clock);
        await using var server = TestTcpServer.Start(TestTcpServer.Silent);

        var probe = runner.ProbeAsync(Make.Tls("127.0.0.1", server.Port, timeout: TimeSpan.FromSeconds(2)));
        await server.Accepted.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(2));
        var result = await probe.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(FailureReason.Timeout, result.Reason);
    }

    [Fact]
    public async Task Probe_Refused_IsCriticalConnect()
    {
        var result = await _runner.ProbeAsync(Make.Tls("127.0.0.1", Ports.Closed()));

        Assert.Equal(FailureReason.Connect, result.Reason);
    }

    [Fact]
    public async Task Probe_UnknownHost_IsCriticalDns()
    {
        var result = await _runner.ProbeAsync(Make.Tls("cert.nowhere.test", 443));

        Assert.Equal(FailureReason.Dns, result.Reason);
    }
}
