using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Vigil.Core.Backups;

/// <summary>
/// The artifact's layers: plaintext → zstd (optional) → AES-256-GCM chunks (optional) → stored bytes.
/// <see cref="Writer"/> and <see cref="Reader"/> stack them over a stream.
/// </summary>
public static class ArtifactCodec
{
    public const string Zstd = "zstd";

    public const string None = "none";

    /// <summary>A write-only stream taking plaintext; disposing it finishes every layer (not <paramref name="stored"/>).</summary>
    public static Stream Writer(Stream stored, string compression, int level, BackupKey? key)
    {
        var s = key is null ? stored : ChunkedCipher.Encrypt(stored, key, leaveOpen: true);
        var ownsCipher = key is not null;
        if (compression == Zstd)
        {
            // zstd's own worker threads: the managed port compresses at roughly a third of native zstd's
            // speed on one core, and compression is the bottleneck of a backup (docs/performance.md).
            // The output is the same zstd format; any reader decompresses it.
            var zstd = new CompressionStream(s, level, leaveOpen: !ownsCipher);
            zstd.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, Math.Clamp(Environment.ProcessorCount, 1, 8));
            return zstd;
        }

        return ownsCipher ? s : new NonClosingStream(s);
    }

    /// <summary>A read-only stream yielding the plaintext of <paramref name="stored"/>.</summary>
    public static Stream Reader(Stream stored, string compression, string cipher, BackupKey? key)
    {
        Stream s = stored;
        if (cipher == ChunkedCipher.Name)
        {
            if (key is null)
            {
                throw new BackupIntegrityException("the artifact is encrypted and no key is configured for its job: set the job's `encryption: { key_file | key_env }` to the key it was made with");
            }

            s = ChunkedCipher.Decrypt(s, key, leaveOpen: true);
        }
        else if (cipher != None)
        {
            throw new BackupIntegrityException($"unknown cipher `{cipher}` in the manifest");
        }

        if (compression == Zstd)
        {
            return new DecompressionStream(s, leaveOpen: s == stored);
        }

        return compression == None ? s : throw new BackupIntegrityException($"unknown compression `{compression}` in the manifest");
    }
}
