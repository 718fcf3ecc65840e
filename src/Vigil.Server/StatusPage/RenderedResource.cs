using System.Security.Cryptography;

namespace Vigil.Server.StatusPage;

/// <summary>One response body rendered once: the bytes, their strong ETag and content type.</summary>
public sealed record RenderedResource(byte[] Body, string ETag, string ContentType)
{
    public static RenderedResource Of(byte[] body, string contentType)
    {
        ArgumentNullException.ThrowIfNull(body);
        // 16 bytes of SHA-256 in base64url: strong (the bytes decide it), short, and stable across restarts.
        var hash = SHA256.HashData(body);
        return new RenderedResource(body, "\"" + Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"", contentType);
    }
}
