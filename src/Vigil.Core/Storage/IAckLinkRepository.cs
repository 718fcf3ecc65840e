namespace Vigil.Core.Storage;

/// <summary>
/// Acknowledge links (storage migration 16): the installation's HMAC key, shared through the store so every
/// node of a PostgreSQL install verifies links another node minted, and the ids of links already used.
/// </summary>
public interface IAckLinkRepository
{
    /// <summary>The installation's acknowledge-link key (base64), or null before the first one is made.</summary>
    Task<string?> GetKeyAsync(CancellationToken ct);

    /// <summary>
    /// Stores <paramref name="key"/> unless a key exists already (another node made one first); returns whether
    /// this call stored it. The caller reads the key back with <see cref="GetKeyAsync"/> and audits the creation.
    /// </summary>
    Task<bool> AddKeyAsync(string key, DateTimeOffset at, CancellationToken ct);

    /// <summary>
    /// Records that link <paramref name="use"/> was used; false when its token id was used before (nothing is
    /// written then). Call it in the transaction that acknowledges and audits, so all three commit together.
    /// </summary>
    Task<bool> ConsumeAsync(AckLinkUse use, CancellationToken ct);

    /// <summary>When and by whom a link was used, or null when it never was.</summary>
    Task<AckLinkUse?> FindUseAsync(string tokenId, CancellationToken ct);
}

/// <summary>One used acknowledge link: its token id, what it acknowledged and when.</summary>
public sealed record AckLinkUse(string TokenId, long IncidentId, string PersonId, DateTimeOffset UsedAt);
