namespace Vigil.Server.Api;

/// <summary>
/// The running config's digest and its per-section digests (<c>GET /api/v1/config/digest</c>), for
/// <c>vigil config digest --expect</c> and <c>vigil config diff</c>. Digests only: no config value, and so no secret,
/// is in it. <see cref="Format"/> is the normalized form's version; digests of different formats are not comparable.
/// </summary>
public sealed record ConfigDigestView(string Digest, string Format, IReadOnlyDictionary<string, string> Sections, string Path, DateTimeOffset LoadedAt);
