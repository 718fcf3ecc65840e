using System.Globalization;
using System.Text;

namespace Vigil.Core.Audit;

/// <summary>
/// A signed statement that the audit chain's head was entry <paramref name="Seq"/> with hash
/// <paramref name="Hash"/> at time <paramref name="At"/>. Rewriting any entry up to
/// <paramref name="Seq"/> (even re-hashing every later entry) changes that entry's hash, so the
/// checkpoint no longer matches; forging a new checkpoint needs the signing key.
/// </summary>
/// <param name="KeyId">The key that signed it.</param>
/// <param name="Signature">Base64 signature over <see cref="Payload()"/> for <c>SigningPurpose.AuditCheckpoint</c>.</param>
public sealed record AuditCheckpoint(long Seq, string Hash, DateTimeOffset At, string KeyId, string Signature)
{
    /// <summary>The signed bytes: <c>seq=N\nhash=HEX\nat=UNIX_MS</c> (UTF-8).</summary>
    public static byte[] Payload(long seq, string hash, DateTimeOffset at) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"seq={seq}\nhash={hash}\nat={at.ToUnixTimeMilliseconds()}"));

    public byte[] Payload() => Payload(Seq, Hash, At);
}
