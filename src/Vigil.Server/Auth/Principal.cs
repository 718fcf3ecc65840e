using Vigil.Core.Auth;

namespace Vigil.Server.Auth;

/// <summary>Who made a request: the token's name (which becomes the audit actor) and role.</summary>
public sealed record Principal(long TokenId, string Name, Role Role);
