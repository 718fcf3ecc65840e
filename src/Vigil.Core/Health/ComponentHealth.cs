namespace Vigil.Core.Health;

/// <summary>What to log after an outcome is recorded: nothing, the first failure (with its detail),
/// a rate-limited repeat (a count, no detail), or the recovery.</summary>
public enum HealthLog
{
    None,
    FirstFailure,
    StillFailing,
    Recovered,
}

/// <summary>
/// The health of one background component (a loop, the store): consecutive failures, the last
/// error and when things were last logged. Pure: <see cref="Record"/> is a function of
/// (state, outcome, now) so the rate limit of failure logs is tested without a clock or a logger.
/// </summary>
public sealed record ComponentHealth(
    string Name,
    int ConsecutiveFailures,
    string? LastError,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastFailureAt,
    DateTimeOffset? LastLoggedAt,
    int FailuresSinceLog)
{
    /// <summary>A failing component repeats its log line at most this often.</summary>
    public static readonly TimeSpan RepeatLogEvery = TimeSpan.FromMinutes(5);

    public static ComponentHealth New(string name) => new(name, 0, null, null, null, null, 0);

    /// <summary>True when the component failed at least <paramref name="threshold"/> times in a row.</summary>
    public bool IsFailing(int threshold) => ConsecutiveFailures >= threshold;

    /// <summary>The next state after one outcome (<paramref name="error"/> null means success), and what to log.</summary>
    public static (ComponentHealth State, HealthLog Log) Record(ComponentHealth state, string? error, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (error is null)
        {
            var recovered = state.ConsecutiveFailures > 0;
            return (state with { ConsecutiveFailures = 0, LastSuccessAt = now, FailuresSinceLog = 0 },
                recovered ? HealthLog.Recovered : HealthLog.None);
        }

        var failed = state with
        {
            ConsecutiveFailures = state.ConsecutiveFailures + 1,
            LastError = error,
            LastFailureAt = now,
        };
        if (state.ConsecutiveFailures == 0)
        {
            return (failed with { LastLoggedAt = now, FailuresSinceLog = 0 }, HealthLog.FirstFailure);
        }

        if (state.LastLoggedAt is not { } logged || now - logged >= RepeatLogEvery)
        {
            return (failed with { LastLoggedAt = now, FailuresSinceLog = 0 }, HealthLog.StillFailing);
        }

        return (failed with { FailuresSinceLog = state.FailuresSinceLog + 1 }, HealthLog.None);
    }
}
