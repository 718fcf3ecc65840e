using System.Security.Cryptography;
using Vigil.Core.Config;

namespace Vigil.Server.Config;

/// <summary>A hash over the names and contents of config source files (or their absence).</summary>
internal static class SourceFingerprint
{
    public static string Of(IReadOnlyList<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in files)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(f + "\0"));
            // The loader's own reader: a source file replaced by a FIFO or a device must not block
            // or flood the watcher; it fingerprints as what is wrong with it, and the reload says so.
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(
                RegularFile.TryReadText(f, ConfigLoader.MaxFileBytes, out var text, out var problem, out _) ? "=" + text : "!" + problem));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
