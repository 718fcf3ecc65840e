using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vigil.Core.Notifications;

/// <summary>
/// Signed one-click acknowledge links (issue 19 §5), as pure functions of a key, the claims and the time.
/// A token is <c>base64url(payload) "." base64url(HMAC-SHA256(key, purpose ‖ payload))</c> where the payload is
/// <c>1|token id|incident|generation|person|expiry (unix seconds)</c>. The signature is compared in constant
/// time, and checked before any field is trusted.
/// </summary>
public static class AckLinkTokens
{
    /// <summary>The longest token read: anything longer is refused before it is decoded.</summary>
    public const int MaxLength = 512;

    /// <summary>Bytes of the installation's HMAC key.</summary>
    public const int KeyBytes = 32;

    private const string Version = "1";

    // Domain separation: the key signs nothing else, but a purpose prefix keeps it that way if it ever does.
    private static readonly byte[] Purpose = "vigil ack link\n"u8.ToArray();

    /// <summary>A fresh random token id (16 bytes, base64url).</summary>
    public static string NewTokenId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether a person id can be carried in a token (no separator, no control characters, bounded).</summary>
    public static bool CanCarry(string personId) =>
        personId is { Length: > 0 and <= 128 } && !personId.Contains('|', StringComparison.Ordinal) && !personId.Any(char.IsControl);

    /// <summary>Signs <paramref name="claims"/> with <paramref name="key"/>.</summary>
    public static string Mint(ReadOnlySpan<byte> key, AckLinkClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (!CanCarry(claims.PersonId) || claims.TokenId.Contains('|', StringComparison.Ordinal))
        {
            throw new ArgumentException($"person id '{claims.PersonId}' cannot be carried in an acknowledge link", nameof(claims));
        }

        var payload = Encoding.UTF8.GetBytes(string.Join('|', Version, claims.TokenId,
            claims.IncidentId.ToString(CultureInfo.InvariantCulture), claims.Generation.ToString(CultureInfo.InvariantCulture),
            claims.PersonId, claims.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(Sign(key, payload));
    }

    /// <summary>
    /// Reads <paramref name="token"/>: <see cref="AckLinkCheck.Valid"/> with its claims, or why not. The claims
    /// are also given for an expired token (its signature holds), so the page can say which incident it was for.
    /// </summary>
    public static AckLinkCheck Read(ReadOnlySpan<byte> key, string? token, DateTimeOffset now, out AckLinkClaims? claims)
    {
        claims = null;
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength)
        {
            return AckLinkCheck.Malformed;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1 || token.IndexOf('.', dot + 1) >= 0)
        {
            return AckLinkCheck.Malformed;
        }

        byte[] payload, signature;
        try
        {
            payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return AckLinkCheck.Malformed;
        }

        // Decoding is lenient about trailing bits: re-encode so that exactly one spelling of a token is accepted.
        if (!string.Equals(Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(signature), token, StringComparison.Ordinal))
        {
            return AckLinkCheck.Malformed;
        }

        if (!CryptographicOperations.FixedTimeEquals(Sign(key, payload), signature))
        {
            return AckLinkCheck.BadSignature;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(payload);
        }
        catch (DecoderFallbackException)
        {
            return AckLinkCheck.Malformed;
        }

        var parts = text.Split('|');
        if (parts.Length != 6 || parts[0] != Version || parts[1].Length == 0 || !CanCarry(parts[4])
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var incident)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var generation)
            || !long.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return AckLinkCheck.Malformed;
        }

        claims = new AckLinkClaims(parts[1], incident, generation, parts[4], DateTimeOffset.FromUnixTimeSeconds(expires));
        return now >= claims.ExpiresAt ? AckLinkCheck.Expired : AckLinkCheck.Valid;
    }

    private static byte[] Sign(ReadOnlySpan<byte> key, byte[] payload)
    {
        var data = new byte[Purpose.Length + payload.Length];
        Purpose.CopyTo(data, 0);
        payload.CopyTo(data, Purpose.Length);
        return HMACSHA256.HashData(key, data);
    }
}
