using Vigil.Core.Config;
using Vigil.Core.Incidents;

namespace Vigil.Core.Tests.Incidents;

/// <summary>Configs, policies, signals and incidents shared by the incident tests.</summary>
internal static class IncidentFixtures
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The default P0–P3 scheme (no <c>severities:</c> section) and three services: api → db → disk.</summary>
    public const string DefaultScheme = """
        vigil:
          name: incident-test
        services:
          - id: api
            depends_on: [db]
            labels: { team: web }
            checks:
              - { id: health, tcp: { host: 127.0.0.1, port: 9 }, every: 10s, severity: P1 }
              - { id: slow, tcp: { host: 127.0.0.1, port: 9 }, every: 10s }
          - id: db
            depends_on: [disk]
            severity: P0
            checks:
              - { id: ping, tcp: { host: 127.0.0.1, port: 9 }, every: 10s }
          - id: disk
          - id: lonely
        """;

    /// <summary>A SEV1–SEV4 scheme with the same services as <see cref="DefaultScheme"/>.</summary>
    public const string SevScheme = """
        vigil:
          name: incident-test
        severities:
          - { id: SEV1, name: Critical, ack_within: 5m, page: true, require_pir: true }
          - { id: SEV2, name: Major, ack_within: 30m, page: true }
          - { id: SEV3, name: Minor, ack_within: 2h }
          - { id: SEV4, name: Cosmetic, ack_within: 1d }
        services:
          - id: api
            depends_on: [db]
            labels: { team: web }
            checks:
              - { id: health, tcp: { host: 127.0.0.1, port: 9 }, every: 10s, severity: SEV2 }
              - { id: slow, tcp: { host: 127.0.0.1, port: 9 }, every: 10s }
          - id: db
            depends_on: [disk]
            severity: SEV1
            checks:
              - { id: ping, tcp: { host: 127.0.0.1, port: 9 }, every: 10s }
          - id: disk
          - id: lonely
        """;

    /// <summary>Loads and validates a config; fails the test on any error.</summary>
    public static VigilConfig Config(string yaml)
    {
        var result = ConfigLoader.LoadFromString(yaml, "vigil.yaml", _ => null);
        Assert.True(result.Success, "expected a valid config, got:\n" + string.Join("\n", result.Errors));
        return result.Config!;
    }

    /// <summary>A policy from a validated config; <paramref name="files"/> maps a file name to its text, others do not exist.</summary>
    public static IncidentPolicy Policy(string yaml, IReadOnlyDictionary<string, string>? files = null) =>
        IncidentPolicy.FromConfig(Config(yaml), path => files is not null && files.TryGetValue(Path.GetFileName(path), out var text)
            ? text
            : throw new FileNotFoundException("no such file", path));

    public static Signal Firing(string key, string severity = "P2", string? service = null, IReadOnlyDictionary<string, string>? labels = null,
        DateTimeOffset? at = null, SignalSource source = SignalSource.Alertmanager) =>
        new(source, key, SignalStatus.Firing, key + " is firing", severity, service, labels ?? new Dictionary<string, string>(), at ?? T0);

    public static Signal Resolved(string key, string severity = "P2", DateTimeOffset? at = null, SignalSource source = SignalSource.Alertmanager) =>
        Firing(key, severity, at: at, source: source) with { Status = SignalStatus.Resolved, Summary = key + " resolved" };

    public static SeverityLevel Level(string id = "P2", TimeSpan? ackWithin = null, bool requirePir = false, int rank = 2) =>
        new(id, id + " level", rank, ackWithin ?? TimeSpan.FromHours(4), Page: false, requirePir, []);

    /// <summary>A stored-looking incident (id 7) with the given status and consistent timestamps.</summary>
    public static Incident Incident(IncidentStatus status, string severity = "P2", DateTimeOffset? pirAt = null)
    {
        var i = new Incident(7, "db down", severity, "db", IncidentStatus.Triggered, "db/ping", "system:checks", T0,
            null, null, null, null, T0.AddHours(4), null, true, 0, null, null, null, pirAt, new Dictionary<string, string>());
        return status switch
        {
            IncidentStatus.Triggered => i,
            IncidentStatus.Acknowledged => i with { Status = status, AcknowledgedAt = T0.AddMinutes(3) },
            IncidentStatus.Mitigated => i with { Status = status, AcknowledgedAt = T0.AddMinutes(3), MitigatedAt = T0.AddMinutes(20) },
            IncidentStatus.Resolved => i with { Status = status, AcknowledgedAt = T0.AddMinutes(3), MitigatedAt = T0.AddMinutes(20), ResolvedAt = T0.AddMinutes(45) },
            _ => i with { Status = status, AcknowledgedAt = T0.AddMinutes(3), MitigatedAt = T0.AddMinutes(20), ResolvedAt = T0.AddMinutes(45), ClosedAt = T0.AddDays(2) },
        };
    }

    public static Dictionary<string, string> Labels(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
