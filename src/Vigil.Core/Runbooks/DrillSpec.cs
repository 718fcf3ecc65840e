namespace Vigil.Core.Runbooks;

/// <summary>
/// The front matter <c>drill:</c> of a fault-injection drill runbook: which checks of the runbook's <c>service</c> are expected
/// to notice the fault, and how long detection and recovery may take before the drill gives up on them.
/// </summary>
/// <param name="Checks">Check ids of the service (<c>health</c>) or <c>service/check</c> keys; empty means every check of the service.</param>
/// <param name="DetectWithin">How long after the injection an expected check may take to go critical and open its incident (default 5m).</param>
/// <param name="RecoverWithin">How long after the recovery starts the checks may take to be ok again (default 10m).</param>
public sealed record DrillSpec(IReadOnlyList<string> Checks, TimeSpan? DetectWithin, TimeSpan? RecoverWithin)
{
    /// <summary>The three procedures a drill runbook has, in the order they run.</summary>
    public static readonly IReadOnlyList<string> Procedures = ["inject", "recover", "verify"];

    public static readonly TimeSpan DefaultDetectWithin = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan DefaultRecoverWithin = TimeSpan.FromMinutes(10);
}
