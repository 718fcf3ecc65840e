using Vigil.Core.Checks;
using Vigil.Core.Storage;

namespace Vigil.Server.Checks;

/// <summary>The engine's live view of one check. Guarded by its own lock; never held across awaits.</summary>
internal sealed class CheckRuntime(CheckDefinition definition, CheckStatus status, DateTimeOffset watchingSince)
{
    public object Gate { get; } = new();

    public CheckDefinition Definition { get; set; } = definition;

    public CheckStatus Status { get; set; } = status;

    public DateTimeOffset WatchingSince { get; set; } = watchingSince;

    public string? PausedBy { get; set; }

    public string? PausedReason { get; set; }

    public bool InFlight { get; set; }

    /// <summary>
    /// Set when its incident was resolved by hand while the check was still failing: the next failing result
    /// sends its signal again (and so re-opens or opens an incident), though the confirmed state did not change.
    /// </summary>
    public bool Rearmed { get; set; }

    public long Skipped { get; set; }

    /// <summary>Status changed since the last successful flush.</summary>
    public bool StatusDirty { get; set; }

    /// <summary>Bumped on every status change, so a flush clears <see cref="StatusDirty"/> only if nothing changed meanwhile.</summary>
    public long StatusVersion { get; private set; }

    public void MarkDirty()
    {
        StatusDirty = true;
        StatusVersion++;
    }

    public HistoryBucket? Bucket { get; set; }

    /// <summary>Buckets of finished hours waiting for the next flush.</summary>
    public List<HistoryBucket> Closed { get; } = [];

    /// <summary>Bumped on config changes so a stale queue entry is ignored.</summary>
    public int Generation { get; set; }

    public string Key => Definition.Key;

    /// <summary>The row the store keeps for this check; call under <see cref="Gate"/>.</summary>
    public StoredCheckStatus Stored() => new(Status, PausedBy, PausedReason, WatchingSince);
}
