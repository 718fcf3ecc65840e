using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vigil.Core.Config;

/// <summary>
/// The config digest, <c>sha256:&lt;64 hex&gt;</c>: a SHA-256 over the canonical JSON of the
/// normalized config. It is stable under key order, whitespace, comments and the split into
/// included files, and changes with any semantic change. Values written as <c>${VAR}</c> enter it as
/// their template text, so it covers the config as written and never the secret values themselves;
/// a <see cref="SecretAttribute"/> value written literally enters it only as its own SHA-256.
/// </summary>
public static class ConfigDigest
{
    /// <summary>Version of the normalized form; bumped when normalization changes so old digests are not compared with new ones.</summary>
    public const string FormatVersion = "vigil-config/1";

    /// <summary>Computes the digest of <paramref name="config"/>.</summary>
    public static string Compute(VigilConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(config)));
        return "sha256:" + Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// A digest per part of the config, for naming where two configs differ (<see cref="ConfigDrift"/>): one per
    /// top-level section (<c>services</c>, <c>notifiers</c>, ...), and one per entry of a list section whose entries
    /// have an <c>id</c> (<c>services/edge-api</c>). Each is computed like <see cref="Compute"/> over that part alone,
    /// so it changes exactly when the part does and, like the whole digest, never carries a secret in clear. A section
    /// the config leaves empty has no digest.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Sections(VigilConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sections = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in ConfigNormalizer.Build(config, forDigest: true).Entries)
        {
            sections[key] = Hash(key, value);
            if (value is NormalNode.List list)
            {
                foreach (var item in list.Items)
                {
                    if (item is NormalNode.Map map && map.Entries.FirstOrDefault(e => e.Key == "id").Value is NormalNode.Scalar { Secret: false } id)
                    {
                        // Ids are unique per section (the validator refuses duplicates), so an entry key names one entry.
                        sections[key + "/" + id.Text] = Hash(key + "/" + id.Text, item);
                    }
                }
            }
        }

        return sections;
    }

    private static string Hash(string part, NormalNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatVersion);
            writer.WriteString("part", part);
            writer.WritePropertyName("config");
            Write(writer, node);
            writer.WriteEndObject();
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>The canonical JSON the digest is computed over (keys sorted, secrets never in clear).</summary>
    internal static string Normalize(VigilConfig config)
    {
        var root = ConfigNormalizer.Build(config, forDigest: true);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatVersion);
            writer.WritePropertyName("config");
            Write(writer, root);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, NormalNode node)
    {
        switch (node)
        {
            case NormalNode.Map map:
                writer.WriteStartObject();
                foreach (var (key, value) in map.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case NormalNode.List list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case NormalNode.Scalar { Secret: true, FromEnv: false } secret:
                writer.WriteStringValue("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret.Text))));
                break;
            case NormalNode.Scalar scalar:
                writer.WriteStringValue(scalar.Text);
                break;
        }
    }
}
