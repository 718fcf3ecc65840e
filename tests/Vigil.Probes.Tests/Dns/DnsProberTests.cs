using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Dns;
using Vigil.Probes.Tests.Support;

namespace Vigil.Probes.Tests.Dns;

public sealed class DnsProberTests : IAsyncLifetime, IDisposable
{
    private readonly FakeDnsServer _dns = new();
    private readonly ProbeRunner _runner = Make.Runner();

    public Task InitializeAsync()
    {
        _dns.A("app.example.test", "10.0.0.1").A("app.example.test", "10.0.0.2")
            .Aaaa("v6.example.test", "2001:db8::1")
            .Cname("www.example.test", "app.example.test")
            .Mx("example.test", 10, "mail.example.test")
            .Txt("example.test", "v=spf1 -all")
            .Ns("example.test", "ns1.example.test")
            .Srv("_db._tcp.example.test", 0, 5, 5432, "db.example.test")
            .Caa("example.test", "issue", "letsencrypt.org")
            .Soa("example.test", "ns1.example.test", "hostmaster.example.test", 2024010101)
            .Ptr("1.0.0.10.in-addr.arpa", "app.example.test")
            .Exists("empty.example.test");
        _dns.Silent.Add("silent.example.test");
        _dns.ServFail.Add("broken.example.test");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task Probe_ExpectedAddresses_IsOkListingAnswers()
    {
        var result = await _runner.ProbeAsync(Make.Dns("app.example.test", _dns.Address, expected: ["10.0.0.2", "10.0.0.1"]));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.StartsWith("app.example.test A resolved to 10.0.0.1, 10.0.0.2 via 127.0.0.1:", result.Message);
    }

    [Fact]
    public async Task Probe_AnswerMismatch_IsCriticalDnsWithWhatWasSeen()
    {
        var result = await _runner.ProbeAsync(Make.Dns("app.example.test", _dns.Address, expected: ["10.0.0.9"]));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Dns, result.Reason);
        Assert.Equal("app.example.test A resolved to 10.0.0.1, 10.0.0.2 (expected 10.0.0.9; missing 10.0.0.9)", result.Message);
    }

    [Fact]
    public async Task Probe_NxDomain_IsCriticalDns()
    {
        var result = await _runner.ProbeAsync(Make.Dns("gone.example.test", _dns.Address));

        Assert.Equal(FailureReason.Dns, result.Reason);
        Assert.Equal($"gone.example.test does not exist (NXDOMAIN from {_dns.Address})", result.Message);
    }

    [Fact]
    public async Task Probe_NoRecordsOfType_IsCriticalDns()
    {
        var result = await _runner.ProbeAsync(Make.Dns("empty.example.test", _dns.Address, DnsRecordType.Aaaa));

        Assert.Equal(FailureReason.Dns, result.Reason);
        Assert.Equal($"empty.example.test has no AAAA records (empty answer from {_dns.Address})", result.Message);
    }

    [Fact]
    public async Task Probe_ServFail_IsCriticalDns()
    {
        var result = await _runner.ProbeAsync(Make.Dns("broken.example.test", _dns.Address));

        Assert.Equal(FailureReason.Dns, result.Reason);
        Assert.Contains("failed with SERVFAIL", result.Message);
    }

    [Fact]
    public async Task Probe_ServerNeverAnswers_IsCriticalTimeout()
    {
        var result = await _runner.ProbeAsync(Make.Dns("silent.example.test", _dns.Address, timeout: TimeSpan.FromMilliseconds(300)));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Timeout, result.Reason);
    }

    [Theory]
    [InlineData("v6.example.test", DnsRecordType.Aaaa, "2001:db8:0::1", "2001:db8::1")]
    [InlineData("www.example.test", DnsRecordType.Cname, "app.example.test.", "app.example.test")]
    [InlineData("example.test", DnsRecordType.Mx, "mail.example.test", "10 mail.example.test")]
    [InlineData("example.test", DnsRecordType.Txt, "v=spf1 -all", "v=spf1 -all")]
    [InlineData("example.test", DnsRecordType.Ns, "NS1.example.test", "ns1.example.test")]
    [InlineData("_db._tcp.example.test", DnsRecordType.Srv, "db.example.test:5432", "0 5 5432 db.example.test")]
    [InlineData("example.test", DnsRecordType.Caa, "letsencrypt.org", "0 issue \"letsencrypt.org\"")]
    [InlineData("example.test", DnsRecordType.Soa, "ns1.example.test", "ns1.example.test hostmaster.example.test 2024010101")]
    [InlineData("10.0.0.1", DnsRecordType.Ptr, "app.example.test", "app.example.test")]
    public async Task Probe_RecordType_MatchesExpectedAnswer(string name, DnsRecordType type, string expected, string shown)
    {
        var result = await _runner.ProbeAsync(Make.Dns(name, _dns.Address, type, [expected]));

        Assert.Equal(HealthState.Ok, result.State);
        Assert.Contains($"resolved to {shown} via", result.Message);
    }

    [Fact]
    public async Task Probe_ServerGivenByName_ResolvesServerFirst()
    {
        var result = await _runner.ProbeAsync(Make.Dns("app.example.test", $"dns.test:{_dns.Port}"));

        Assert.Equal(HealthState.Ok, result.State);
    }

    [Fact]
    public async Task Probe_ServerNameDoesNotResolve_IsCriticalDns()
    {
        var result = await _runner.ProbeAsync(Make.Dns("app.example.test", "resolver.nowhere.test:53"));

        Assert.Equal(FailureReason.Dns, result.Reason);
        Assert.StartsWith("could not resolve the DNS server resolver.nowhere.test", result.Message);
    }

    [Theory]
    [InlineData("1.1.1.1", "1.1.1.1", 53)]
    [InlineData("127.0.0.1:5353", "127.0.0.1", 5353)]
    [InlineData("[::1]:5353", "::1", 5353)]
    [InlineData("::1", "::1", 53)]
    [InlineData("dns.test", "dns.test", 53)]
    public void TryParseServer_ValidForms_SplitHostAndPort(string text, string host, int port)
    {
        Assert.True(DnsProber.TryParseServer(text, out var h, out var p));
        Assert.Equal((host, port), (h, p));
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("host:99999")]
    [InlineData("[::1")]
    [InlineData(":53")]
    public void TryParseServer_InvalidForms_ReturnsFalse(string text) =>
        Assert.False(DnsProber.TryParseServer(text, out _, out _));
}
