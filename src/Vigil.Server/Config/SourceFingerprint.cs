using System.Security.Cryptography;

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
            try
            {
                hash.AppendData(File.ReadAllBytes(f));
            }
            catch (IOException)
            {
                hash.AppendData("<missing>"u8);
            }
            catch (UnauthorizedAccessException)
            {
                hash.AppendData("<unreadable>"u8);
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
