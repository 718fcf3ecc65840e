using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vigil.Probes.Tests.Support;

/// <summary>Self-signed certificates made in the test, with their PEM/PFX files when needed.</summary>
internal static class TestCertificates
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    public static X509Certificate2 Server(string name = "localhost", TimeSpan? validFor = null, TimeSpan? expiredFor = null)
    {
        var now = DateTimeOffset.UtcNow;
        var notAfter = expiredFor is { } ago ? now - ago : now + (validFor ?? TimeSpan.FromDays(90));
        var notBefore = notAfter - TimeSpan.FromDays(365);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Create($"CN={name}", key, notBefore, notAfter, ServerAuth, name);
    }

    public static X509Certificate2 Client(string name = "vigil-probe")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        return Create($"CN={name}", key, now.AddDays(-1), now.AddDays(30), ClientAuth, null);
    }

    /// <summary>Writes the certificate and its key as two PEM files; the key encrypted when a password is given.</summary>
    public static (string CertFile, string KeyFile) WritePem(X509Certificate2 cert, string folder, string? password = null)
    {
        var certFile = Path.Combine(folder, "client.crt");
        var keyFile = Path.Combine(folder, "client.key");
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        using var key = cert.GetECDsaPrivateKey()!;
        File.WriteAllText(keyFile, password is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));
        return (certFile, keyFile);
    }

    public static string WritePfx(X509Certificate2 cert, string folder, string password)
    {
        var file = Path.Combine(folder, "client.pfx");
        File.WriteAllBytes(file, cert.Export(X509ContentType.Pfx, password));
        return file;
    }

    private static X509Certificate2 Create(string subject, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter, string usage, string? dnsName)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (dnsName is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dnsName);
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }

        using var cert = request.CreateSelfSigned(notBefore, notAfter);

        // Round-trip through PKCS#12 so the key is usable by SslStream/Kestrel as a server credential.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
    }
}
