namespace Vigil.Core.Signing;

/// <summary>A signature and the key that made it.</summary>
/// <param name="KeyId">The signing key's id (see <see cref="SigningKey.Id"/>).</param>
/// <param name="Value">The signature, base64 (ECDSA P-256 with SHA-256, IEEE P1363 r‖s, 64 bytes).</param>
public sealed record Signature(string KeyId, string Value);
