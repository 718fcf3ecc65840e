using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Core.Signing;

/// <summary>
/// The key file format (<c>keys.json</c>, and the public ring that <c>vigil keys export --public</c> writes):
/// <c>{"format": "vigil-keys", "version": 1, "keys": [ … ]}</c>.
/// </summary>
public static class KeyRingJson
{
    public const string Format = "vigil-keys";

    public const int Version = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(KeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        return JsonSerializer.Serialize(new KeyFile(Format, Version, ring.Keys.ToList()), Options) + "\n";
    }

    /// <summary>Parses a key file; throws <see cref="FormatException"/> with what is wrong.</summary>
    public static KeyRing Parse(string json)
    {
        KeyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<KeyFile>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not a Vigil key file: {ex.Message}", ex);
        }

        if (file is null || file.Format != Format)
        {
            throw new FormatException($"not a Vigil key file (\"format\" must be \"{Format}\")");
        }

        if (file.Version != Version)
        {
            throw new FormatException($"key file version {file.Version} is not supported (this Vigil reads version {Version})");
        }

        var keys = file.Keys ?? [];
        for (var i = 0; i < keys.Count; i++)
        {
            var k = keys[i];
            if (k is null || string.IsNullOrEmpty(k.Id) || string.IsNullOrEmpty(k.PublicKey))
            {
                throw new FormatException($"keys[{i}] needs an id and a public_key");
            }

            if (k.Algorithm != EcdsaKeys.Algorithm)
            {
                throw new FormatException($"keys[{i}] ({k.Id}) uses algorithm '{k.Algorithm}'; only {EcdsaKeys.Algorithm} is supported");
            }

            byte[] spki;
            try
            {
                spki = Convert.FromBase64String(k.PublicKey);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"keys[{i}] ({k.Id}): public_key is not base64", ex);
            }

            if (EcdsaKeys.IdOf(spki) != k.Id)
            {
                throw new FormatException($"keys[{i}]: id {k.Id} does not match its public key (expected {EcdsaKeys.IdOf(spki)}); the file was edited");
            }

            if (k.PrivateKey is not null && !EcdsaKeys.PrivateMatchesPublic(k))
            {
                throw new FormatException($"keys[{i}] ({k.Id}): private_key is not the private half of public_key");
            }
        }

        if (keys.GroupBy(k => k.Id).FirstOrDefault(g => g.Count() > 1) is { } dup)
        {
            throw new FormatException($"key {dup.Key} appears more than once");
        }

        return new KeyRing(keys);
    }

    private sealed record KeyFile(string? Format, int Version, List<SigningKey>? Keys);
}
