using System.Buffers;
using System.Net.Http;
using System.Text;

namespace Vigil.Probes.Http;

/// <summary>Reads at most a bounded prefix of a response body.</summary>
internal static class BodyReader
{
    /// <returns>The bytes read, and whether the body was longer than <paramref name="max"/>.</returns>
    public static async Task<(byte[] Bytes, bool Truncated)> ReadAsync(HttpContent content, int max, CancellationToken ct)
    {
        var limit = max + 1;
        var expected = content.Headers.ContentLength;
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp((expected ?? 16 * 1024) + 1, 256, limit));
        try
        {
            var count = 0;
            while (count < limit)
            {
                if (count == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit));
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var n = await stream.ReadAsync(buffer.AsMemory(count, Math.Min(buffer.Length, limit) - count), ct);
                if (n == 0)
                {
                    break;
                }

                count += n;
            }

            return (buffer.AsSpan(0, Math.Min(count, max)).ToArray(), count > max);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static Encoding EncodingOf(HttpContent content)
    {
        var charset = content.Headers.ContentType?.CharSet?.Trim('"', ' ');
        if (string.IsNullOrEmpty(charset))
        {
            return Encoding.UTF8;
        }

        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }
}
