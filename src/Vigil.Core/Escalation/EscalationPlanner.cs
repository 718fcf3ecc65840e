using Vigil.Core.Config;

namespace Vigil.Core.Escalation;

/// <summary>
/// Plans an escalation (pure): every step of every pass with its due time, all fixed when the
/// escalation starts so the plan can be stored as rows and survive restarts.
/// </summary>
public static class EscalationPlanner
{
    /// <summary>Pass <c>r</c> starts at <c>start + r × repeat_every</c>; step <c>i</c> of it is due <c>after</c> later.</summary>
    public static IReadOnlyList<EscalationStepPlan> Plan(EscalationPolicyConfig policy, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var every = RepeatEvery(policy);
        var plan = new List<EscalationStepPlan>();
        for (var r = 0; r <= policy.Repeat; r++)
        {
            for (var i = 0; i < policy.Steps.Count; i++)
            {
                plan.Add(new EscalationStepPlan(i, r, start + (every * r) + policy.Steps[i].After));
            }
        }

        return plan;
    }

    /// <summary>The configured <c>repeat_every</c>, else the last step's <c>after</c> plus 15 minutes.</summary>
    public static TimeSpan RepeatEvery(EscalationPolicyConfig policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.RepeatEvery ?? (policy.Steps.Count == 0 ? TimeSpan.Zero : policy.Steps[^1].After) + TimeSpan.FromMinutes(15);
    }

    /// <summary>
    /// Exponential backoff with full jitter for delivery retries: a random delay in
    /// [0, min(max, initial × 2^(attempt-1))], at least one second. <paramref name="unit"/> is a number in [0, 1)
    /// from the caller's random source (injected, so tests can fix it and assert exact delays).
    /// </summary>
    public static TimeSpan Backoff(RetryConfig retry, int attempt, double unit)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var exp = Math.Min(30, Math.Max(0, attempt - 1));
        var cap = Math.Min(retry.MaxBackoff.TotalMilliseconds, retry.InitialBackoff.TotalMilliseconds * Math.Pow(2, exp));
        return TimeSpan.FromMilliseconds(Math.Max(1000, cap * Math.Clamp(unit, 0, 1)));
    }
}
