namespace Vigil.Core.Signing;

/// <summary>
/// Signs with Vigil's current signing key. Audit checkpoints, export files and backup manifests
/// all sign through this, with their own <see cref="SigningPurpose"/>; <see cref="KeyRing.Verify"/> checks.
/// </summary>
public interface ISigner
{
    /// <summary>Signs <paramref name="payload"/> for <paramref name="purpose"/> with the current key.</summary>
    Signature Sign(SigningPurpose purpose, ReadOnlySpan<byte> payload);
}
