namespace Vigil.Core.Checks;

/// <summary>
/// A check whose latest results are failing but not yet confirmed: it waits out
/// <c>fail_after</c> and <c>for:</c> before its state changes. Shown as <c>pending</c>.
/// </summary>
/// <param name="Toward">The state the check changes to if the failing run goes on (the latest result's state).</param>
/// <param name="Failures">Non-ok results in a row so far.</param>
/// <param name="FailAfter">How many in a row confirm (<c>fail_after</c>).</param>
/// <param name="StreakSince">When the failing run began.</param>
/// <param name="Until">The earliest time the run can confirm; the change itself lands on the first result at or after it.</param>
/// <param name="Left">Time from now to <paramref name="Until"/>, never negative.</param>
public sealed record PendingState(HealthState Toward, int Failures, int FailAfter, DateTimeOffset StreakSince, DateTimeOffset Until, TimeSpan Left);
