using Vigil.Core.Runbooks;

namespace Vigil.Server.Runbooks;

/// <summary>How one executed (or refused) step ended, with its captured, redacted output.</summary>
internal sealed record StepResult(StepStatus Status, int? ExitCode, DateTimeOffset StartedAt, string Output, long Bytes, bool Truncated)
{
    /// <summary>Why the step's health gate failed (the script itself succeeded), or null.</summary>
    public string? GateError { get; init; }

    /// <summary>Why a step did not run: a skipped step's <c>when=</c> did not hold, or a refused step's interpreter is not installed; else null.</summary>
    public string? Reason { get; init; }
}
