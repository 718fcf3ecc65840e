using Vigil.Core.Signing;

namespace Vigil.Server.Api;

/// <summary>A key as the API shows it: its public half, window and state, never its private half.</summary>
/// <param name="Signing">True for the key Vigil signs with now.</param>
public sealed record KeyView(string Id, string Algorithm, string State, bool Signing, DateTimeOffset CreatedAt, DateTimeOffset NotBefore,
    DateTimeOffset? RetiredAt, string PublicKey)
{
    public static KeyView From(SigningKey key, KeyRing ring, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(ring);
        return new(key.Id, key.Algorithm, key.State, ring.SigningKeyAt(now)?.Id == key.Id, key.CreatedAt, key.NotBefore, key.RetiredAt, key.PublicKey);
    }
}

/// <summary>The ring: where it comes from and its keys.</summary>
/// <param name="Source">data-folder, file or environment.</param>
/// <param name="Path">The key file, when there is one.</param>
public sealed record KeyRingView(string Source, string? Path, IReadOnlyList<KeyView> Keys);

/// <summary>Body of <c>POST /api/v1/keys/rotate</c> and <c>POST /api/v1/keys/{id}/retire</c>.</summary>
/// <param name="At">Retire only: when the key stopped being trusted (default now); earlier for a key believed compromised.</param>
public sealed record KeyChangeRequest(string? Reason, DateTimeOffset? At = null);
