using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Probes.Tests.Support;

namespace Vigil.Probes.Tests.Http;

public sealed class HttpsProberTests : IDisposable
{
    private readonly ProbeRunner _runner = Make.Runner();
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        _runner.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Probe_SelfSignedWithVerifyOff_IsOk()
    {
        await using var server = await StartAsync(TestCertificates.Server());

        var result = await _runner.ProbeAsync(Make.Http(server.Url("/"), h => h.TlsVerify = false));

        Assert.Equal(HealthState.Ok, result.State);
    }

    [Fact]
    public async Task Probe_SelfSignedWithVerifyOn_IsCriticalTls()
    {
        await using var server = await StartAsync(TestCertificates.Server());

        var result = await _runner.ProbeAsync(Make.Http(server.Url("/")));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.StartsWith($"TLS handshake with {server.Url("/")} failed", result.Message);
    }

    [Fact]
    public async Task Probe_MutualTlsWithPemCertificate_IsOk()
    {
        var client = TestCertificates.Client();
        var (certFile, keyFile) = TestCertificates.WritePem(client, _temp.Path);
        await using var server = await StartAsync(TestCertificates.Server(), accept: c => c.Thumbprint == client.Thumbprint);

        var result = await _runner.ProbeAsync(Make.Http(server.Url("/whoami"), h =>
        {
            h.TlsVerify = false;
            h.ClientCert = new ClientCertificateConfig { CertFile = certFile, KeyFile = keyFile };
            h.BodyContains = "CN=vigil-probe";
        }));

        Assert.Equal(HealthState.Ok, result.State);
    }

    [Fact]
    public async Task Probe_MutualTlsWithEncryptedPemKeyRelativeToBaseDirectory_IsOk()
    {
        var client = TestCertificates.Client();
        TestCertificates.WritePem(client, _temp.Path, password: "hunter2");
        await using var server = await StartAsync(TestCertificates.Server(), accept: c => c.Thumbprint == client.Thumbprint);
        using var runner = Make.Runner(options: new ProbeOptions { BaseDirectory = _temp.Path });

        var result = await runner.ProbeAsync(Make.Http(server.Url("/whoami"), h =>
        {
            h.TlsVerify = false;
            h.ClientCert = new ClientCertificateConfig { CertFile = "client.crt", KeyFile = "client.key", Password = "hunter2" };
        }));

        Assert.Equal(HealthState.Ok, result.State);
    }

    [Fact]
    public async Task Probe_MutualTlsWithPfx_IsOk()
    {
        var client = TestCertificates.Client();
        var pfx = TestCertificates.WritePfx(client, _temp.Path, "s3cret");
        await using var server = await StartAsync(TestCertificates.Server(), accept: c => c.Thumbprint == client.Thumbprint);

        var result = await _runner.ProbeAsync(Make.Http(server.Url("/whoami"), h =>
        {
            h.TlsVerify = false;
            h.ClientCert = new ClientCertificateConfig { CertFile = pfx, Password = "s3cret" };
        }));

        Assert.Equal(HealthState.Ok, result.State);
    }

    [Fact]
    public async Task Probe_MutualTlsWithoutClientCertificate_IsCriticalTls()
    {
        await using var server = await StartAsync(TestCertificates.Server(), accept: _ => true);

        var result = await _runner.ProbeAsync(Make.Http(server.Url("/whoami"), h => h.TlsVerify = false));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.Contains("client certificate (none is configured)", result.Message);
    }

    [Fact]
    public async Task Probe_MutualTlsWithRejectedClientCertificate_IsCriticalTls()
    {
        var trusted = TestCertificates.Client("trusted");
        var other = TestCertificates.Client("stranger");
        var (certFile, keyFile) = TestCertificates.WritePem(other, _temp.Path);
        await using var server = await StartAsync(TestCertificates.Server(), accept: c => c.Thumbprint == trusted.Thumbprint);

        var result = await _runner.ProbeAsync(Make.Http(server.Url("/whoami"), h =>
        {
            h.TlsVerify = false;
            h.ClientCert = new ClientCertificateConfig { CertFile = certFile, KeyFile = keyFile };
        }));

        Assert.Equal(HealthState.Critical, result.State);
        Assert.Equal(FailureReason.Tls, result.Reason);
    }

    [Fact]
    public async Task Probe_ClientCertificateFileMissing_IsUnknownTlsNamingTheFile()
    {
        var missing = Path.Combine(_temp.Path, "nope.pem");

        var result = await _runner.ProbeAsync(Make.Http("https://127.0.0.1:1/", h => h.ClientCert = new ClientCertificateConfig { CertFile = missing }));

        Assert.Equal(HealthState.Unknown, result.State);
        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.Contains(missing, result.Message);
    }

    private static Task<TestWebServer> StartAsync(X509Certificate2 cert, Func<X509Certificate2, bool>? accept = null) =>
        TestWebServer.StartAsync(app =>
        {
            app.MapGet("/", () => "ok");
            app.MapGet("/whoami", (HttpContext ctx) => Results.Text(ctx.Connection.ClientCertificate?.Subject ?? "anonymous"));
        }, cert, accept);
}
