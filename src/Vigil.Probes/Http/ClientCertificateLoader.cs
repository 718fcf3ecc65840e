using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vigil.Core.Config;

namespace Vigil.Probes.Http;

/// <summary>Loads a <c>client_cert</c>: PEM certificate plus PEM key (optionally encrypted), or PKCS#12.</summary>
internal static class ClientCertificateLoader
{
    /// <summary>A key that changes when the files change, so a rotated certificate gets a new handler.</summary>
    public static string Identity(ClientCertificateConfig config, ProbeOptions options)
    {
        var cert = options.ResolvePath(config.CertFile);
        var key = config.KeyFile is { Length: > 0 } k ? options.ResolvePath(k) : string.Empty;
        return string.Join('|', cert, Stamp(cert), key, key.Length > 0 ? Stamp(key) : string.Empty, config.Password ?? string.Empty);
    }

    /// <summary>Loads the certificate with its private key.</summary>
    /// <exception cref="CertificateLoadException">The files are missing, unreadable or do not hold a certificate with a key.</exception>
    public static X509Certificate2 Load(ClientCertificateConfig config, ProbeOptions options)
    {
        var certPath = options.ResolvePath(config.CertFile);
        var keyPath = config.KeyFile is { Length: > 0 } k ? options.ResolvePath(k) : null;
        try
        {
            X509Certificate2 cert;
            if (IsPem(certPath))
            {
                cert = config.Password is { Length: > 0 } password
                    ? X509Certificate2.CreateFromEncryptedPemFile(certPath, password, keyPath)
                    : X509Certificate2.CreateFromPemFile(certPath, keyPath);
            }
            else
            {
                cert = X509CertificateLoader.LoadPkcs12FromFile(certPath, config.Password);
            }

            if (!cert.HasPrivateKey)
            {
                cert.Dispose();
                throw new CertificateLoadException($"client certificate {certPath} has no private key; set key_file or use a PFX that includes it");
            }

            return cert;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new CertificateLoadException($"could not load client certificate {certPath}{(keyPath is null ? string.Empty : $" with key {keyPath}")}: {ex.Message.TrimEnd('.')}", ex);
        }
    }

    private static bool IsPem(string path)
    {
        Span<byte> head = stackalloc byte[64];
        using var stream = File.OpenRead(path);
        var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[..n].IndexOf("-----BEGIN"u8) >= 0;
    }

    private static string Stamp(string path) =>
        File.Exists(path) ? File.GetLastWriteTimeUtc(path).Ticks.ToString(CultureInfo.InvariantCulture) : "missing";
}
