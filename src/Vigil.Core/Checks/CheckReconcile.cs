namespace Vigil.Core.Checks;

/// <summary>What an applied config changes in the live set of checks, as a pure function of the live timings and the configured ones.</summary>
public static class CheckReconcile
{
    /// <summary>
    /// Compares the <paramref name="live"/> checks with the <paramref name="configured"/> ones (in config order)
    /// and says which are added, retimed, kept or removed. Removed keys come in <paramref name="live"/>'s order.
    /// </summary>
    public static ReconcilePlan Plan(IEnumerable<KeyValuePair<string, CheckTiming>> live, IEnumerable<KeyValuePair<string, CheckTiming>> configured)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(configured);
        var liveByKey = new Dictionary<string, CheckTiming>(StringComparer.Ordinal);
        var liveOrder = new List<string>();
        foreach (var (key, timing) in live)
        {
            if (liveByKey.TryAdd(key, timing))
            {
                liveOrder.Add(key);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        List<string> added = [], retimed = [], kept = [];
        foreach (var (key, timing) in configured)
        {
            if (!seen.Add(key))
            {
                continue;
            }

            if (!liveByKey.TryGetValue(key, out var now))
            {
                added.Add(key);
            }
            else if (now == timing)
            {
                kept.Add(key);
            }
            else
            {
                retimed.Add(key);
            }
        }

        return new ReconcilePlan(added, retimed, kept, liveOrder.Where(k => !seen.Contains(k)).ToList());
    }
}
