namespace Vigil.Server.Api;

/// <summary>
/// Body of <c>POST /api/v1/demo/fleet/{name}</c>, one of: a mode and, optionally, how long it lasts (<c>5m</c>), on the live side or
/// on <c>slot</c>; <c>start</c>: bring a slot up (a down side becomes healthy, a running one is left as it is); <c>serve</c>: switch
/// the target's port to that slot.
/// </summary>
public sealed record FleetCommandRequest(string? Mode, string? For = null, string? Slot = null, string? Start = null, string? Serve = null);
