using Vigil.Core.Config;

namespace Vigil.Core.Checks;

/// <summary>
/// Runs one kind of check once. Implementations map every expected failure to a
/// <see cref="ProbeResult"/> with a <see cref="FailureReason"/>; the caller enforces the check's
/// timeout by cancelling the token and turns that into <see cref="FailureReason.Timeout"/>.
/// </summary>
public interface IProber
{
    CheckKind Kind { get; }

    Task<ProbeResult> ProbeAsync(CheckConfig check, CancellationToken ct);
}
