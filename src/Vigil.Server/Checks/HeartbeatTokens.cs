using System.Security.Cryptography;
using System.Text;
using Vigil.Core.Config;

namespace Vigil.Server.Checks;

/// <summary>
/// The secret URL token of each heartbeat check: <c>heartbeat.token</c> from the config, or an
/// HMAC of the check's key under a per-installation secret kept in <c>&lt;data&gt;/heartbeat.key</c>
/// (mode 0600), so tokens are stable across restarts and unguessable without the file.
/// </summary>
public sealed class HeartbeatTokens
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private readonly byte[] _secret;
    // Replaced whole (a reference swap), so readers see either the old map or the new one.
    private TokenMap _map = new("", new Dictionary<string, CheckDefinition>(StringComparer.Ordinal));

    public HeartbeatTokens(byte[] secret) => _secret = secret;

    public static HeartbeatTokens FromDataDirectory(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "heartbeat.key");
        if (!File.Exists(path))
        {
            // Another process may win the race; then its key is used.
            Hosting.SecretFile.Write(path, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), overwrite: false);
        }

        byte[] key;
        try
        {
            key = Convert.FromHexString(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            key = [];
        }

        // A short or empty key would make heartbeat URLs guessable: refuse to start instead.
        return key.Length == 32
            ? new HeartbeatTokens(key)
            : throw new InvalidOperationException($"{path} is damaged (it must hold 64 hex characters). Restore it from a backup, or delete it to create a new one; heartbeat URLs then change.");
    }

    public string TokenFor(CheckDefinition def)
    {
        ArgumentNullException.ThrowIfNull(def);
        if (def.Check.Heartbeat?.Token is { Length: > 0 } configured)
        {
            return configured;
        }

        var mac = HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes("heartbeat:" + def.Key));
        var chars = new char[32];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[mac[i] % Alphabet.Length];
        }

        return new string(chars);
    }

    /// <summary>The heartbeat check with this token, from a map built once per config digest.</summary>
    public CheckDefinition? Find(string token, VigilConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var map = Volatile.Read(ref _map);
        if (map.Digest != config.Digest)
        {
            // Validation refuses duplicate configured tokens; should two checks still share one (a
            // configured token equal to a generated one), the token is ambiguous and answers 404 for
            // both rather than failing every heartbeat request.
            var byToken = CheckDefinition.FromConfig(config).Where(d => d.Check.Heartbeat is not null)
                .GroupBy(TokenFor, StringComparer.Ordinal)
                .Where(g => g.Count() == 1)
                .ToDictionary(g => g.Key, g => g.Single(), StringComparer.Ordinal);
            map = new TokenMap(config.Digest, byToken);
            Volatile.Write(ref _map, map);
        }

        return map.ByToken.GetValueOrDefault(token ?? "");
    }

    private sealed record TokenMap(string Digest, Dictionary<string, CheckDefinition> ByToken);
}
