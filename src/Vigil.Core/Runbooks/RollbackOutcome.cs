namespace Vigil.Core.Runbooks;

/// <summary>How a run's rollback went (stored and sent as <c>succeeded</c> / <c>failed</c>).</summary>
public enum RollbackOutcome
{
    /// <summary>Every rollback step succeeded.</summary>
    Succeeded,

    /// <summary>A rollback step failed; the rest were not run.</summary>
    Failed,
}
