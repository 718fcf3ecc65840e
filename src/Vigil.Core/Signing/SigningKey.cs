using System.Text.Json.Serialization;

namespace Vigil.Core.Signing;

/// <summary>
/// One key of the ring. A key vouches for signatures made inside its validity window:
/// from <see cref="NotBefore"/> up to (not including) <see cref="RetiredAt"/>, or open-ended while
/// it is not retired. A retired key keeps verifying what it signed before; its private half is
/// dropped when it retires.
/// </summary>
/// <param name="Id">Stable id derived from the public key: <c>vk_</c> and 16 hex digits of its SHA-256.</param>
/// <param name="Algorithm">Always <see cref="EcdsaKeys.Algorithm"/> for now.</param>
/// <param name="PublicKey">SubjectPublicKeyInfo, base64.</param>
/// <param name="PrivateKey">PKCS#8, base64; null for a public-only entry (retired, imported or exported).</param>
/// <param name="CreatedAt">When the key was generated (or first loaded, for one supplied from outside).</param>
/// <param name="NotBefore">Signatures dated before this are not vouched for.</param>
/// <param name="RetiredAt">Signatures dated at or after this are not vouched for; null while in service.</param>
public sealed record SigningKey(
    string Id,
    string Algorithm,
    string PublicKey,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PrivateKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset NotBefore,
    DateTimeOffset? RetiredAt)
{
    /// <summary>True when a signature dated <paramref name="at"/> falls inside this key's window.</summary>
    public bool IsValidAt(DateTimeOffset at) => at >= NotBefore && (RetiredAt is not { } r || at < r);

    /// <summary>The same key without its private half.</summary>
    public SigningKey PublicOnly() => this with { PrivateKey = null };

    /// <summary>"active", "retired" or "public-only" (a key Vigil cannot sign with but that is still in service).</summary>
    public string State => RetiredAt is not null ? "retired" : PrivateKey is null ? "public-only" : "active";
}
