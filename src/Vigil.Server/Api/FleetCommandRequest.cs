namespace Vigil.Server.Api;

/// <summary>Body of <c>POST /api/v1/demo/fleet/{name}</c>: a mode and, optionally, how long it lasts (<c>5m</c>).</summary>
public sealed record FleetCommandRequest(string? Mode, string? For = null);
