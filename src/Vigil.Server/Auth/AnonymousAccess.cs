namespace Vigil.Server.Auth;

/// <summary>
/// Endpoint metadata: the route needs no bearer token (health probes, OpenAPI). A route that
/// changes state without a token must name the secret in its path that stands in for one
/// (<paramref name="SecretInPath"/>), as heartbeat URLs do.
/// </summary>
internal sealed record AnonymousAccess(string? SecretInPath = null);
