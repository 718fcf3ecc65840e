using System.Security.Cryptography;
using System.Text;

namespace Vigil.Core.Tokens;

/// <summary>
/// Creates and hashes API token secrets. A secret is <c>vgl_</c> followed by 40 random base62
/// characters (about 238 bits), so a plain SHA-256 is a sufficient one-way hash.
/// </summary>
public static class TokenSecret
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public const string Scheme = "vgl_";
    public const int PrefixLength = 12;

    public static string Generate()
    {
        var chars = new char[40];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return Scheme + new string(chars);
    }

    /// <summary>The part of a secret that may be shown and stored in clear, to tell tokens apart.</summary>
    public static string PrefixOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Length <= PrefixLength ? secret : secret[..PrefixLength];
    }

    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>Cheap shape check before any store lookup.</summary>
    public static bool LooksValid(string? secret) =>
        secret is { Length: 44 } && secret.StartsWith(Scheme, StringComparison.Ordinal) && secret.AsSpan(4).ContainsAnyExcept(Alphabet) == false;
}
