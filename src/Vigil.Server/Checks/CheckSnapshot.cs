using Vigil.Core.Checks;

namespace Vigil.Server.Checks;

/// <summary>A check's definition and live state at one moment.</summary>
public sealed record CheckSnapshot(CheckDefinition Definition, CheckStatus Status, string? PausedBy, string? PausedReason, long Skipped, string? HeartbeatToken);
