namespace Vigil.Probes.Http;

/// <summary>A <c>client_cert</c> could not be loaded; the message says which file and why.</summary>
internal sealed class CertificateLoadException : Exception
{
    public CertificateLoadException(string message)
        : base(message)
    {
    }

    public CertificateLoadException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
