using Cronos;
using Vigil.Core.Config;

namespace Vigil.Core.Checks;

/// <summary>
/// Pure evaluation of a dead-man's switch: given the last success, the last ping and when
/// watching began, is the job on time, failed, or late?
/// </summary>
public static class HeartbeatEvaluator
{
    /// <param name="lastSuccess">The last success ping, or null if none yet.</param>
    /// <param name="lastPing">The last ping of any kind (a fail or start after the success).</param>
    /// <param name="watchingSince">When Vigil started expecting this heartbeat (check added or resumed).</param>
    public static ProbeResult Evaluate(HeartbeatCheckConfig config, DateTimeOffset? lastSuccess, HeartbeatPing? lastPing, DateTimeOffset watchingSince, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (lastPing is { Kind: HeartbeatPingKind.Fail } fail && (lastSuccess is null || fail.At >= lastSuccess))
        {
            var code = fail.ExitCode is { } c ? $" with exit code {c}" : "";
            return ProbeResult.Critical(FailureReason.Exec, TimeSpan.Zero, $"the job reported failure{code} at {fail.At:u}");
        }

        var anchor = lastSuccess ?? watchingSince;
        var due = NextDue(config, anchor);
        var deadline = due + config.Grace;
        if (now <= deadline)
        {
            var seen = lastSuccess is { } s ? $"last success {s:u}" : "no ping yet";
            return ProbeResult.Ok(TimeSpan.Zero, $"{seen}; next expected by {deadline:u}");
        }

        var started = lastPing is { Kind: HeartbeatPingKind.Start } st && st.At >= anchor ? $" (a run started at {st.At:u} has not finished)" : "";
        return ProbeResult.Critical(FailureReason.Late, TimeSpan.Zero,
            $"no successful ping since {(lastSuccess is { } ls ? ls.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "watching began at " + watchingSince.ToString("u", System.Globalization.CultureInfo.InvariantCulture))}; expected by {deadline:u}{started}");
    }

    /// <summary>When the next ping is expected after <paramref name="anchor"/>.</summary>
    public static DateTimeOffset NextDue(HeartbeatCheckConfig config, DateTimeOffset anchor)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Cron is { } cron)
        {
            var expression = CronExpression.Parse(cron, cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            var zone = TimeZoneInfo.FindSystemTimeZoneById(config.Timezone);
            return expression.GetNextOccurrence(anchor, zone) ?? DateTimeOffset.MaxValue - config.Grace;
        }

        return anchor + (config.Period ?? TimeSpan.FromHours(1));
    }
}
