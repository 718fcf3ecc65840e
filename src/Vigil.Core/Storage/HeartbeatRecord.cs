using Vigil.Core.Checks;

namespace Vigil.Core.Storage;

/// <summary>The last success and the last ping of any kind for a heartbeat check.</summary>
public sealed record HeartbeatRecord(string Key, DateTimeOffset? LastSuccess, HeartbeatPing? LastPing);
