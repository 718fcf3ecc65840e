using Vigil.Core.Checks;

namespace Vigil.Server.Checks;

/// <summary>A service's health is the worst of its active checks (critical &gt; warning &gt; unknown &gt; ok).</summary>
public static class ServiceHealth
{
    public static (string State, CheckSnapshot? Worst) Aggregate(IReadOnlyList<CheckSnapshot> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var active = checks.Where(c => !c.Status.Paused).ToList();
        if (active.Count == 0)
        {
            return (checks.Count > 0 ? "paused" : "unknown", null);
        }

        // Worst state first; among equals, the one in that state longest.
        var worst = active.OrderByDescending(c => c.Status.State).ThenBy(c => c.Status.Since).First();
        return (ReasonNames.ToName(worst.Status.State), worst);
    }
}
