using Vigil.Core.Checks;

namespace Vigil.Server.Checks;

/// <summary>A check's definition and live state at one moment; <paramref name="Pending"/> is set while a failing run waits out fail_after/for:.</summary>
public sealed record CheckSnapshot(CheckDefinition Definition, CheckStatus Status, string? PausedBy, string? PausedReason, long Skipped, string? HeartbeatToken,
    PendingState? Pending = null);
