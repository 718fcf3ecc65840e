using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vigil.Server.Demo;

/// <summary>
/// The built-in demo fleet: a few fake services on loopback that can be made slow, failing or
/// down on command, and one (<c>checkout</c>) that fails on a schedule so incidents appear on
/// their own. Their URLs are exported as <c>VIGIL_DEMO_&lt;NAME&gt;_URL</c> / <c>_PORT</c> so the
/// demo config finds them with <c>${…}</c> expansion.
/// </summary>
public sealed class DemoFleet : IAsyncDisposable
{
    private DemoFleet(IReadOnlyList<DemoTarget> targets, DemoDnsServer dns)
    {
        Targets = targets;
        Dns = dns;
    }

    public IReadOnlyList<DemoTarget> Targets { get; }

    /// <summary>Answers the demo's DNS check (<c>*.demo.vigil</c> → 127.0.0.1).</summary>
    public DemoDnsServer Dns { get; }

    public static DemoFleet Start(TimeProvider time)
    {
        var targets = new List<DemoTarget>
        {
            new("web", "public website, with blue and green slots (the blue-green runbook swaps them)", null, time, slots: true),
            new("api", "edge API", null, time),
            new("checkout", "checkout service; fails for 2 minutes every 10, starting 3 minutes in",
                (TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3)), time),
            new("db", "database (TCP only)", null, time),
            new("secure", "HTTPS endpoint whose self-signed certificate expires in 20 days", null, time, SelfSigned(time, TimeSpan.FromDays(20))),
            new("pager", "receives the demo's pages (the `pager` webhook notifier); see them with vigil notifications", null, time),
        };
        foreach (var t in targets)
        {
            t.Start();
        }

        return new DemoFleet(targets, DemoDnsServer.Start());
    }

    private static X509Certificate2 SelfSigned(TimeProvider time, TimeSpan validFor)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var now = time.GetUtcNow();
        using var cert = request.CreateSelfSigned(now.AddDays(-1), now + validFor);
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    public DemoTarget? Find(string name) => Targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The environment variables the demo config expands.</summary>
    public IEnumerable<KeyValuePair<string, string>> EnvironmentVariables() =>
        Targets.SelectMany(t => new[]
        {
            KeyValuePair.Create($"VIGIL_DEMO_{t.Name.ToUpperInvariant()}_URL", t.Url),
            KeyValuePair.Create($"VIGIL_DEMO_{t.Name.ToUpperInvariant()}_PORT", t.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        }).Append(KeyValuePair.Create("VIGIL_DEMO_DNS", $"127.0.0.1:{Dns.Port}"));

    public async ValueTask DisposeAsync()
    {
        await Dns.DisposeAsync();
        foreach (var t in Targets)
        {
            await t.DisposeAsync();
        }
    }
}
