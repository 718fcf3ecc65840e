using Vigil.Core.Auth;

namespace Vigil.Server.Auth;

/// <summary>Endpoint metadata: the lowest role that may call the route.</summary>
internal sealed record RequiredRole(Role Role);
