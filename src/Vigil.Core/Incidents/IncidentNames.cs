namespace Vigil.Core.Incidents;

/// <summary>The lowercase names of incident enums, as they appear in the API, CLI and store.</summary>
public static class IncidentNames
{
    public static string ToName(this IncidentStatus status) => status switch
    {
        IncidentStatus.Triggered => "triggered",
        IncidentStatus.Acknowledged => "acknowledged",
        IncidentStatus.Mitigated => "mitigated",
        IncidentStatus.Resolved => "resolved",
        IncidentStatus.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToName(this SignalSource source) => source switch
    {
        SignalSource.Check => "check",
        SignalSource.Alertmanager => "alertmanager",
        SignalSource.Events => "events",
        SignalSource.Runbook => "runbook",
        SignalSource.Slo => "slo",
        SignalSource.Backup => "backup",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public static string ToName(this SignalStatus status) => status == SignalStatus.Firing ? "firing" : "resolved";

    public static string ToName(this IncidentRole role) => role switch
    {
        IncidentRole.Commander => "commander",
        IncidentRole.Scribe => "scribe",
        IncidentRole.Assignee => "assignee",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static IReadOnlyList<string> StatusNames { get; } = Enum.GetValues<IncidentStatus>().Select(s => s.ToName()).ToArray();

    public static IReadOnlyList<string> RoleNames { get; } = Enum.GetValues<IncidentRole>().Select(s => s.ToName()).ToArray();

    public static bool TryParseStatus(string? name, out IncidentStatus status) => TryParse(name, ToName, out status);

    public static bool TryParseSource(string? name, out SignalSource source) => TryParse(name, ToName, out source);

    public static bool TryParseRole(string? name, out IncidentRole role) => TryParse(name, ToName, out role);

    public static SignalStatus ParseSignalStatus(string name) => name == "firing" ? SignalStatus.Firing : SignalStatus.Resolved;

    private static bool TryParse<T>(string? name, Func<T, string> toName, out T value)
        where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
        {
            if (string.Equals(toName(v), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }
}
