namespace Vigil.Core.Signing;

/// <summary>
/// Vigil's keys: the one it signs with now and every key whose old signatures must keep verifying.
/// Immutable; <see cref="KeyRules"/> makes the changed rings.
/// </summary>
public sealed class KeyRing
{
    public KeyRing(IReadOnlyList<SigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Keys = keys;
    }

    public static KeyRing Empty { get; } = new([]);

    public IReadOnlyList<SigningKey> Keys { get; }

    public SigningKey? Find(string id) => Keys.FirstOrDefault(k => string.Equals(k.Id, id, StringComparison.Ordinal));

    /// <summary>The key Vigil signs with at <paramref name="now"/>: in service, with a private half, the newest such.</summary>
    public SigningKey? SigningKeyAt(DateTimeOffset now) =>
        Keys.Where(k => k.PrivateKey is not null && k.IsValidAt(now)).MaxBy(k => k.NotBefore);

    /// <summary>The ring without any private half: what <c>vigil keys export --public</c> writes.</summary>
    public KeyRing PublicOnly() => new(Keys.Select(k => k.PublicOnly()).ToList());

    /// <summary>
    /// Checks a signature dated <paramref name="signedAt"/>: null when a known key, valid at that time,
    /// made it for this purpose; otherwise one sentence saying why not.
    /// </summary>
    public string? Verify(SigningPurpose purpose, ReadOnlySpan<byte> payload, Signature signature, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (Find(signature.KeyId) is not { } key)
        {
            return $"it is signed by key {signature.KeyId}, which is not in the key ring (known: {Describe()})";
        }

        if (!key.IsValidAt(signedAt))
        {
            var window = key.RetiredAt is { } r ? $"{key.NotBefore:u} to {r:u}" : $"from {key.NotBefore:u}";
            return $"it is dated {signedAt:u}, outside the validity window of key {key.Id} ({window})";
        }

        return EcdsaKeys.Verify(key, purpose, payload, signature.Value)
            ? null
            : $"its signature does not match key {key.Id}: the signed content was changed, or the signature was forged";
    }

    private string Describe() => Keys.Count == 0 ? "none" : string.Join(", ", Keys.Select(k => k.Id));
}
