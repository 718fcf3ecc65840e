using System.Globalization;
using Vigil.Core.Config;

namespace Vigil.Core.Slos;

/// <summary>A point a service's data can be restored to: when it was taken, and what says so.</summary>
/// <param name="Source">What reported it, for messages, like <c>heartbeat orders-db/nightly-backup</c>.</param>
/// <param name="Rank">How much the point is worth: a service's points of the highest rank reported are the only ones counted
/// (<see cref="RecoveryPointRank"/>), so a verified backup is not outvoted by a newer "the job ran" ping.</param>
public sealed record RecoveryPoint(string Service, DateTimeOffset At, string Source, int Rank = RecoveryPointRank.Reported);

/// <summary>The ranks Vigil's own sources use.</summary>
public static class RecoveryPointRank
{
    /// <summary>A job said it finished (a heartbeat marked <c>backup: true</c>); nothing proved the backup restores.</summary>
    public const int Reported = 0;

    /// <summary>A backup Vigil took and verified (its artifacts match the signed manifest).</summary>
    public const int Verified = 1;
}

/// <summary>
/// Where the newest recovery point of each service comes from. The engine asks every registered
/// source and keeps the newest point per service. Vigil ships one source: the last successful ping of
/// heartbeat checks marked <c>backup: true</c>. A backup engine plugs in by registering another
/// implementation (for example "newest verified backup per service") as a singleton.
/// </summary>
public interface IRecoveryPointSource
{
    /// <summary>The newest recovery point of each service this source knows about.</summary>
    Task<IReadOnlyList<RecoveryPoint>> NewestAsync(VigilConfig config, CancellationToken ct);
}

/// <summary>A service's recovery point objective measured at an instant.</summary>
/// <param name="Newest">The newest recovery point, or null when no source has one.</param>
/// <param name="Age">How old the data restored now would be: now − newest point (or, with none, the time since tracking began).</param>
public sealed record RpoStatus(string Service, TimeSpan Rpo, RecoveryPoint? Newest, TimeSpan Age, bool Breached, string Message)
{
    /// <summary>The signal key of the service's RPO breach.</summary>
    public string SignalKey => "rpo/" + Service;
}

/// <summary>The RPO rule; pure.</summary>
public static class RecoveryObjectives
{
    /// <summary>
    /// The newest point per service across sources, among the service's points of the highest rank:
    /// once a service has a verified backup, a newer heartbeat does not make its data look younger.
    /// </summary>
    public static IReadOnlyDictionary<string, RecoveryPoint> Newest(IEnumerable<RecoveryPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var newest = new Dictionary<string, RecoveryPoint>(StringComparer.Ordinal);
        foreach (var p in points)
        {
            if (!newest.TryGetValue(p.Service, out var had) || p.Rank > had.Rank || (p.Rank == had.Rank && p.At > had.At))
            {
                newest[p.Service] = p;
            }
        }

        return newest;
    }

    /// <summary>
    /// A service breaches its RPO when its newest recovery point is older than the RPO. With no point
    /// at all, the clock starts when tracking began (<paramref name="trackedSince"/>: the first
    /// evaluation after start or after the RPO was configured), so a fresh install is not paged at once.
    /// </summary>
    public static RpoStatus Evaluate(string service, TimeSpan rpo, RecoveryPoint? newest, DateTimeOffset trackedSince, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(service);
        var age = now - (newest?.At ?? trackedSince);
        var breached = age > rpo;
        var rpoText = Duration.Format(rpo);
        var message = newest is null
            ? breached
                ? $"RPO of {service} breached: no recovery point recorded in {Duration.Format(Round(age))} (RPO {rpoText})"
                : $"no recovery point of {service} recorded yet (RPO {rpoText})"
            : string.Create(CultureInfo.InvariantCulture,
                $"{(breached ? $"RPO of {service} breached" : $"RPO of {service} met")}: newest recovery point is {Duration.Format(Round(age))} old (RPO {rpoText}), from {newest.Source} at {newest.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        return new RpoStatus(service, rpo, newest, age, breached, message);
    }

    private static TimeSpan Round(TimeSpan t) => TimeSpan.FromSeconds(Math.Max(0, Math.Floor(t.TotalSeconds)));
}
