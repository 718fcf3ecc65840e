using Vigil.Core.Checks;

namespace Vigil.Core.Storage;

/// <summary>A check's state as stored, with who paused it and when watching began.</summary>
public sealed record StoredCheckStatus(CheckStatus Status, string? PausedBy, string? PausedReason, DateTimeOffset WatchingSince);
