using System.Globalization;
using Vigil.Core.Checks;
using Vigil.Core.Config;
using Vigil.Core.Incidents;

namespace Vigil.Core.Runbooks;

/// <summary>Whether a gate waits for health or watches it.</summary>
public enum HealthGateKind
{
    /// <summary><c>wait="check:api/health ok for 2m"</c>: hold the run until the target has been ok long enough; fail at the timeout.</summary>
    Wait,

    /// <summary><c>watch="service:api" for=10m</c>: hold the run for a while and fail the moment a target check goes critical.</summary>
    Watch,
}

/// <summary>What a gate looks at: one check (<c>check:SERVICE/CHECK</c>) or every check of a service (<c>service:SERVICE</c>).</summary>
public sealed record HealthGateTarget(string Service, string? Check)
{
    /// <summary>The target as written: <c>check:api/health</c> or <c>service:api</c>.</summary>
    public string Text => Check is null ? $"service:{Service}" : $"check:{Service}/{Check}";

    /// <summary>How sentences name it: <c>check api/health</c> or <c>service api</c>.</summary>
    public string Name => Check is null ? $"service {Service}" : $"check {Service}/{Check}";

    /// <summary>True when the check addressed as <paramref name="key"/> ("service/check") is one the gate looks at.</summary>
    public bool Covers(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Check is null
            ? key.Length > Service.Length && key.StartsWith(Service, StringComparison.Ordinal) && key[Service.Length] == '/'
            : string.Equals(key, $"{Service}/{Check}", StringComparison.Ordinal);
    }
}

/// <summary>
/// A health gate on a step, read from its fence attributes. It runs after the step's script succeeded and reads
/// Vigil's own live check state (it never probes).
/// </summary>
/// <param name="Kind">Wait or watch.</param>
/// <param name="Target">The check or service it looks at.</param>
/// <param name="For">Wait: how long the target must have been ok (zero: ok now is enough). Watch: how long to watch.</param>
/// <param name="Timeout">Wait: how long to wait at most (the step's <c>timeout</c>); null: the default step timeout. Unused by a watch.</param>
public sealed record HealthGate(HealthGateKind Kind, HealthGateTarget Target, TimeSpan For, TimeSpan? Timeout)
{
    /// <summary>One line for plans and run output.</summary>
    public string Describe(TimeSpan defaultTimeout) => Kind == HealthGateKind.Wait
        ? $"wait until {Target.Name} is ok{(For > TimeSpan.Zero ? $" for {Durations.Human(For)}" : "")}; fail after {Durations.Human(Timeout ?? defaultTimeout)}"
        : $"watch {Target.Name} for {Durations.Human(For)}; fail (and roll back) the moment {(Target.Check is null ? "one of its checks" : "it")} goes critical";
}

/// <summary>One check's live state as a gate sees it (from the checks engine, never from a new probe).</summary>
/// <param name="Key">"service/check".</param>
/// <param name="State">The confirmed state (after fail_after and for:).</param>
/// <param name="Since">When that state began.</param>
/// <param name="Why">What the last result said (for example "HTTP 503 (expected 200)"), or null.</param>
/// <param name="Paused">True while the check is paused: it is not probed, so it proves nothing.</param>
public sealed record GateCheck(string Key, HealthState State, DateTimeOffset Since, string? Why, bool Paused);

/// <summary>Where a gate stands.</summary>
public enum GateVerdict
{
    /// <summary>Not decided yet: look again later.</summary>
    Pending,

    /// <summary>The gate is satisfied; the run goes on.</summary>
    Passed,

    /// <summary>The gate failed; the step fails (and the rollback runs).</summary>
    Failed,
}

/// <summary>A gate's verdict with one sentence that says which check and why.</summary>
public sealed record GateDecision(GateVerdict Verdict, string Message);

/// <summary>
/// Health gates as pure functions: reading them from fence attributes (<see cref="TryRead"/>) and deciding them from the
/// checks' live state and the time (<see cref="Evaluate"/>).
/// </summary>
public static class HealthGates
{
    /// <summary>The attribute of a wait gate.</summary>
    public const string WaitKey = "wait";

    /// <summary>The attribute of a watch gate.</summary>
    public const string WatchKey = "watch";

    /// <summary>The attribute that says how long a watch lasts.</summary>
    public const string ForKey = "for";

    /// <summary>The longest a gate may wait or watch.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    /// <summary>
    /// Reads the gate of a step from its attributes. Returns false with <paramref name="error"/> (what is wrong and how to
    /// write it) when the attributes hold a gate that does not read; true with a null <paramref name="gate"/> when there is none.
    /// </summary>
    public static bool TryRead(IReadOnlyDictionary<string, string> attributes, out HealthGate? gate, out string? error)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        gate = null;
        error = null;
        var wait = attributes.GetValueOrDefault(WaitKey);
        var watch = attributes.GetValueOrDefault(WatchKey);
        var forText = attributes.GetValueOrDefault(ForKey);
        if (wait is null && watch is null)
        {
            if (forText is not null)
            {
                error = $"attribute for='{forText}' belongs to a watch; add watch=\"service:NAME\" or drop it";
                return false;
            }

            return true;
        }

        if (wait is not null && watch is not null)
        {
            error = "a step has either wait= or watch=, not both; put the watch on the next step";
            return false;
        }

        if (wait is not null)
        {
            return ReadWait(wait, forText, attributes, out gate, out error);
        }

        return ReadWatch(watch!, forText, out gate, out error);
    }

    private static bool ReadWait(string text, string? forText, IReadOnlyDictionary<string, string> attributes, out HealthGate? gate, out string? error)
    {
        gate = null;
        const string Form = "write it as wait=\"check:SERVICE/CHECK ok for 2m\" or wait=\"service:SERVICE ok\"";
        if (forText is not null)
        {
            error = $"a wait says its duration inside the expression (wait=\"… ok for {forText}\"), not with for=";
            return false;
        }

        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            error = $"wait='' is empty; {Form}";
            return false;
        }

        if (!TryTarget(words[0], out var target, out error))
        {
            error = $"wait='{text}': {error}; {Form}";
            return false;
        }

        var rest = words.Skip(1).ToList();
        if (rest.Count > 0 && !string.Equals(rest[0], "ok", StringComparison.OrdinalIgnoreCase))
        {
            error = $"wait='{text}': a wait waits for `ok`, not '{rest[0]}'; {Form}";
            return false;
        }

        var span = TimeSpan.Zero;
        if (rest.Count > 1)
        {
            if (rest.Count != 3 || !string.Equals(rest[1], "for", StringComparison.OrdinalIgnoreCase)
                || !RunbookAttributes.TryParseDuration(rest[2], out span) || span > MaxDuration)
            {
                error = $"wait='{text}': after `ok` comes `for DURATION` (like 30s, 2m, 1h; at most 24h); {Form}";
                return false;
            }
        }

        var timeout = RunbookAttributes.TryParseDuration(attributes.GetValueOrDefault("timeout"), out var t) ? t : (TimeSpan?)null;
        if (timeout is { } limit && limit <= span)
        {
            error = $"wait='{text}' needs {Durations.Human(span)} of ok but its timeout is {Durations.Human(limit)}, so it can never pass; raise timeout=";
            return false;
        }

        gate = new HealthGate(HealthGateKind.Wait, target!, span, timeout);
        return true;
    }

    private static bool ReadWatch(string text, string? forText, out HealthGate? gate, out string? error)
    {
        gate = null;
        const string Form = "write it as watch=\"service:SERVICE\" for=10m or watch=\"check:SERVICE/CHECK\" for=5m";
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 1)
        {
            error = words.Length == 0 ? $"watch='' is empty; {Form}" : $"watch='{text}' names one check or service, nothing else; {Form}";
            return false;
        }

        if (!TryTarget(words[0], out var target, out error))
        {
            error = $"watch='{text}': {error}; {Form}";
            return false;
        }

        if (forText is null)
        {
            error = $"watch='{text}' needs for=DURATION (how long to watch); {Form}";
            return false;
        }

        if (!RunbookAttributes.TryParseDuration(forText, out var span) || span > MaxDuration)
        {
            error = $"attribute for='{forText}' is not a duration like 30s, 10m or 1h of at most 24h";
            return false;
        }

        gate = new HealthGate(HealthGateKind.Watch, target!, span, null);
        return true;
    }

    private static bool TryTarget(string word, out HealthGateTarget? target, out string? error)
    {
        target = null;
        error = null;
        var colon = word.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? "" : word[..colon].ToLowerInvariant();
        var name = colon < 0 ? word : word[(colon + 1)..];
        if (kind == "check")
        {
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == name.Length - 1 || name.IndexOf('/', slash + 1) >= 0 || !IsId(name[..slash]) || !IsId(name[(slash + 1)..]))
            {
                error = $"'{word}' is not check:SERVICE/CHECK";
                return false;
            }

            target = new HealthGateTarget(name[..slash], name[(slash + 1)..]);
            return true;
        }

        if (kind == "service")
        {
            if (!IsId(name))
            {
                error = $"'{word}' is not service:SERVICE";
                return false;
            }

            target = new HealthGateTarget(name, null);
            return true;
        }

        error = $"'{word}' names neither check:SERVICE/CHECK nor service:SERVICE";
        return false;
    }

    private static bool IsId(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// Why <paramref name="gate"/> names something the config does not have, or null when its target exists.
    /// <paramref name="checkKeys"/> holds every configured check as "service/check".
    /// </summary>
    public static string? UnknownTarget(HealthGate gate, IReadOnlyCollection<string> checkKeys)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(checkKeys);
        if (checkKeys.Any(gate.Target.Covers))
        {
            return null;
        }

        var services = checkKeys.Select(k => k[..Math.Max(0, k.IndexOf('/', StringComparison.Ordinal))]).Distinct(StringComparer.Ordinal).ToList();
        if (gate.Target.Check is null)
        {
            return $"{gate.Target.Name} has no checks in the config{Suggest.DidYouMean(gate.Target.Service, services)}";
        }

        var key = $"{gate.Target.Service}/{gate.Target.Check}";
        return $"check {key} is not in the config{Suggest.DidYouMean(key, checkKeys.ToList())}";
    }

    /// <summary>
    /// Decides a gate that began at <paramref name="began"/> from the checks' live state at <paramref name="now"/>. A wait passes
    /// when every check of its target is unpaused and has been ok for its duration, and fails at its timeout
    /// (<paramref name="defaultTimeout"/> when it sets none). A watch fails the moment an unpaused check of its target is
    /// critical, and passes when its duration is over. A target with no checks, or whose checks are all paused under a
    /// watch, fails: a gate that cannot see anything must not let a change through.
    /// </summary>
    public static GateDecision Evaluate(HealthGate gate, IReadOnlyList<GateCheck> checks, DateTimeOffset began, DateTimeOffset now, TimeSpan defaultTimeout)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(checks);
        var targets = checks.Where(c => gate.Target.Covers(c.Key)).ToList();
        if (targets.Count == 0)
        {
            return new(GateVerdict.Failed, $"{gate.Target.Name} has no checks in the config in force, so the {(gate.Kind == HealthGateKind.Wait ? "wait" : "watch")} cannot see its health");
        }

        return gate.Kind == HealthGateKind.Wait ? EvaluateWait(gate, targets, began, now, defaultTimeout) : EvaluateWatch(gate, targets, began, now);
    }

    private static GateDecision EvaluateWait(HealthGate gate, List<GateCheck> targets, DateTimeOffset began, DateTimeOffset now, TimeSpan defaultTimeout)
    {
        var lacking = targets.Where(c => c.Paused || c.State != HealthState.Ok || now - c.Since < gate.For)
            .OrderByDescending(c => c.Paused ? 4 : (int)c.State).ThenBy(c => c.Since).ToList();
        var needed = gate.For > TimeSpan.Zero ? $" for {Durations.Human(gate.For)}" : "";
        if (lacking.Count == 0)
        {
            return new(GateVerdict.Passed, targets.Count == 1
                ? $"check {targets[0].Key} has been ok{needed} (since {Time(targets[0].Since)})"
                : $"all {targets.Count} checks of {gate.Target.Name} have been ok{needed}");
        }

        var worst = lacking[0];
        var state = worst.Paused ? "paused (not probed, so it proves nothing)"
            : worst.State == HealthState.Ok ? $"ok since {Time(worst.Since)}, {Durations.Human(gate.For - (now - worst.Since))} to go"
            : $"{ReasonNames.ToName(worst.State)} since {Time(worst.Since)}{Because(worst)}";
        var timeout = gate.Timeout ?? defaultTimeout;
        if (now - began >= timeout)
        {
            return new(GateVerdict.Failed, $"{gate.Target.Name} was not ok{needed} within {Durations.Human(timeout)}: check {worst.Key} is {state}");
        }

        return new(GateVerdict.Pending, $"waiting for {gate.Target.Name} to be ok{needed}: check {worst.Key} is {state}");
    }

    private static GateDecision EvaluateWatch(HealthGate gate, List<GateCheck> targets, DateTimeOffset began, DateTimeOffset now)
    {
        var critical = targets.Where(c => !c.Paused && c.State == HealthState.Critical).OrderBy(c => c.Since).FirstOrDefault();
        if (critical is not null)
        {
            var when = critical.Since >= began ? $"went critical at {Time(critical.Since)}" : $"is critical (since {Time(critical.Since)})";
            return new(GateVerdict.Failed, $"watch of {gate.Target.Name} failed after {Durations.Human(Max(now - began, TimeSpan.Zero))}: check {critical.Key} {when}{Because(critical)}");
        }

        if (targets.All(c => c.Paused))
        {
            return new(GateVerdict.Failed, $"every check of {gate.Target.Name} is paused, so the watch cannot see its health; resume them or drop the watch");
        }

        if (now - began >= gate.For)
        {
            return new(GateVerdict.Passed, $"{gate.Target.Name} stayed out of critical for {Durations.Human(gate.For)}");
        }

        return new(GateVerdict.Pending, $"watching {gate.Target.Name}: {Durations.Human(gate.For - (now - began))} to go");
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Because(GateCheck c) => string.IsNullOrWhiteSpace(c.Why) ? "" : $" ({c.Why.Trim()})";

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
