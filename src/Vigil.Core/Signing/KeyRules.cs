using Vigil.Core.Results;

namespace Vigil.Core.Signing;

/// <summary>The pure rules of key changes: what the ring becomes, or why the change is refused.</summary>
public static class KeyRules
{
    /// <summary>
    /// Puts <paramref name="fresh"/> in service and retires every other key that could still sign
    /// (their private halves are dropped; what they signed keeps verifying).
    /// </summary>
    public static KeyRing Rotate(KeyRing ring, SigningKey fresh, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(fresh);
        var keys = ring.Keys
            .Select(k => k.PrivateKey is not null && k.RetiredAt is null ? k with { RetiredAt = Stamp(now), PrivateKey = null } : k)
            .Append(fresh)
            .ToList();
        return new KeyRing(keys);
    }

    /// <summary>
    /// Retires key <paramref name="id"/> at <paramref name="at"/> (now, or earlier for a key believed
    /// compromised since then: what it signed from that time on stops verifying). The key Vigil signs
    /// with is refused: rotate instead, which retires it and puts a new one in service.
    /// </summary>
    public static Outcome<KeyRing> Retire(KeyRing ring, string id, DateTimeOffset at, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (ring.Find(id) is not { } key)
        {
            return Refused.NotFound($"There is no key {id}; see 'vigil keys list'.");
        }

        if (at > now)
        {
            return Refused.Conflict($"A key cannot be retired in the future ({at:u}); leave --at out to retire it now.");
        }

        if (key.RetiredAt is { } r && r <= at)
        {
            return Refused.Conflict($"Key {id} is already retired since {r:u}.");
        }

        if (ring.SigningKeyAt(now) is { } signing && signing.Id == id)
        {
            return Refused.Conflict($"Key {id} is the key Vigil signs with; run 'vigil keys rotate' instead (it retires this key and puts a new one in service).");
        }

        var keys = ring.Keys.Select(k => k.Id == id ? k with { RetiredAt = Stamp(at), PrivateKey = null } : k).ToList();
        return new KeyRing(keys);
    }

    /// <summary>Adds public-only keys (from an import or a peer) that the ring does not hold yet.</summary>
    public static KeyRing AddPublic(KeyRing ring, IEnumerable<SigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var added = keys.Where(k => ring.Find(k.Id) is null).Select(k => k.PublicOnly());
        return new KeyRing(ring.Keys.Concat(added).ToList());
    }

    private static DateTimeOffset Stamp(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());
}
