using System.IO.Compression;
using System.Security.Cryptography;

namespace Vigil.Server.StatusPage;

/// <summary>
/// One response body rendered once: the bytes, their strong ETag and content type, and the same
/// bytes gzip-compressed once (with their own ETag, as RFC 9110 wants for another encoding) for
/// clients that accept gzip.
/// </summary>
public sealed record RenderedResource(byte[] Body, string ETag, string ContentType, byte[]? Gzip, string? GzipETag)
{
    public static RenderedResource Of(byte[] body, string contentType)
    {
        ArgumentNullException.ThrowIfNull(body);
        var etag = Tag(body);
        // Small bodies (badges) are not worth a second copy.
        if (body.Length < 1024)
        {
            return new RenderedResource(body, etag, contentType, null, null);
        }

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return new RenderedResource(body, etag, contentType, compressed.ToArray(), etag[..^1] + "-gz\"");
    }

    // 16 bytes of SHA-256 in base64url: strong (the bytes decide it), short, and stable across restarts.
    private static string Tag(byte[] body) =>
        "\"" + Convert.ToBase64String(SHA256.HashData(body), 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";
}
