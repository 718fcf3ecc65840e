namespace Vigil.Core.Backups;

/// <summary>A manifest's signature: algorithm, signing key id and the signature (base64).</summary>
public sealed record ManifestSignature(string Algorithm, string KeyId, string Value);
