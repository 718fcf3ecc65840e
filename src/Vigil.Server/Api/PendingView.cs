using Vigil.Core.Checks;

namespace Vigil.Server.Api;

/// <summary>
/// A check inside its <c>fail_after</c>/<c>for:</c> delay: what it is heading for, since when,
/// and the earliest time (and seconds left) it can confirm.
/// </summary>
public sealed record PendingView(string Toward, string? Reason, int Failures, int FailAfter, DateTimeOffset Since, DateTimeOffset Until, long SecondsLeft)
{
    public static PendingView From(PendingState p, FailureReason reason)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(ReasonNames.ToName(p.Toward), ReasonNames.ToNameOrNull(reason), p.Failures, p.FailAfter, p.StreakSince, p.Until,
            (long)Math.Ceiling(p.Left.TotalSeconds));
    }
}
