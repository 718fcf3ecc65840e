using System.Globalization;
using Vigil.Core.Config;

namespace Vigil.Core.Runbooks;

/// <summary>
/// Decides a fault-injection drill from what it recorded (pure). It passes only when the fault was injected, Vigil's own
/// checks detected it (critical, incident open), the checks were ok again, the verify procedure succeeded, nobody was
/// paged, and detection plus recovery took no longer than the RTO.
/// </summary>
public static class DrillJudge
{
    public static DrillVerdict Decide(DrillObservation seen, TimeSpan rto)
    {
        ArgumentNullException.ThrowIfNull(seen);
        var total = seen.RecoveredAt - seen.InjectedAt;
        var reasons = new List<string>();
        if (seen.InjectedAt is null)
        {
            reasons.Add("the fault was not injected" + (seen.RunFailure is { } f ? $" ({f})" : ""));
        }
        else
        {
            if (seen.DetectedAt is null)
            {
                reasons.Add($"not detected: no expected check went critical and opened an incident within {Duration.Format(seen.DetectWithin)} of the injection" + (seen.MissedBecause is { } why ? $" ({why})" : ""));
            }

            if (seen.Paged is { } paged)
            {
                reasons.Add($"paging would have happened: {paged}");
            }

            if (seen.RecoveredAt is null)
            {
                reasons.Add("not recovered: the expected checks were not all ok again in time");
            }

            if (seen.RunFailure is { } failure)
            {
                reasons.Add(failure);
            }
            else if (!seen.Verified && seen.RecoveredAt is not null)
            {
                reasons.Add("verify did not succeed");
            }

            if (total is { } t && t > rto)
            {
                reasons.Add($"took {Seconds(t)} from injection to recovery, over the RTO of {Duration.Format(rto)}");
            }
        }

        return reasons.Count == 0
            ? new DrillVerdict(DrillResult.Pass, $"detected in {Seconds(seen.DetectedAt!.Value - seen.InjectedAt!.Value)}, recovered in {Seconds(total!.Value)} from injection, within the RTO of {Duration.Format(rto)}; nobody was paged", total)
            : new DrillVerdict(DrillResult.Fail, string.Join("; ", reasons), total);
    }

    private static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");
}
