namespace Vigil.Core.Checks;

/// <summary>What the scheduler does with a queued run that came due (<see cref="CheckDispatch.Decide"/>).</summary>
public enum DispatchAction
{
    /// <summary>The entry is stale: the check was removed, or its timing changed and a newer entry is queued. Not requeued.</summary>
    Drop,

    /// <summary>The check is paused: no run now, but its next run is queued so a resume picks the schedule up again.</summary>
    Paused,

    /// <summary>The check's previous run is still in flight: this run is skipped (and counted), the next is queued.</summary>
    Skip,

    /// <summary>Run the probe now and queue the next run.</summary>
    Run,
}
