using System.Security.Cryptography;
using System.Text;

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

    public CheckDefinition? Find(string token, IEnumerable<CheckDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var wanted = Encoding.UTF8.GetBytes(token ?? "");
        return definitions.FirstOrDefault(d => d.Check.Heartbeat is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(TokenFor(d)), wanted));
    }
}
