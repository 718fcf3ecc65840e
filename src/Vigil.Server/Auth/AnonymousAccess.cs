namespace Vigil.Server.Auth;

/// <summary>Endpoint metadata: the route needs no token (health probes, OpenAPI, the status page).</summary>
internal sealed record AnonymousAccess;
