namespace Vigil.Core.Backups;

/// <summary>
/// Signs and checks backup manifests. Interim: <see cref="HmacManifestSigner"/> with a key file in the
/// data folder, until Vigil's signing keys (<c>vigil keys</c>) take this over.
/// </summary>
public interface IManifestSigner
{
    string Algorithm { get; }

    string KeyId { get; }

    byte[] Sign(ReadOnlySpan<byte> data);

    /// <summary>Null when the signature is good, else why not.</summary>
    string? Verify(ReadOnlySpan<byte> data, ManifestSignature signature);
}
