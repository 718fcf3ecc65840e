namespace Vigil.Core.Config;

/// <summary>
/// The whole of <c>vigil.yaml</c> (with its includes) as a typed model. Load it with
/// <see cref="ConfigLoader"/>; a loaded instance has passed every validation rule, so engines can
/// follow its references (severity ids, schedule ids, ...) without checking them again.
/// </summary>
public sealed class VigilConfig
{
    /// <summary>This Vigil installation: name, environment, store, listen address.</summary>
    [Mandatory]
    public VigilSection Vigil { get; set; } = new();

    /// <summary>
    /// Severity levels, most severe first. When the section is left out the default scheme applies:
    /// P0 Critical (ack within 15m, pages), P1 High (1h, pages), P2 Medium (4h, ticket), P3 Low (24h, ticket).
    /// </summary>
    [NotEmpty]
    [DocDefault("P0–P3 (see description)")]
    public IReadOnlyList<SeverityConfig> Severities { get; set; } = DefaultSeverities.Create();

    /// <summary>The services Vigil watches, each with its checks, SLO and dependencies.</summary>
    public IReadOnlyList<ServiceConfig> Services { get; set; } = [];

    /// <summary>People who can be paged, with their contact methods.</summary>
    public IReadOnlyList<PersonConfig> People { get; set; } = [];

    /// <summary>On-call schedules: rotations with layers, restrictions and overrides.</summary>
    public IReadOnlyList<ScheduleConfig> Schedules { get; set; } = [];

    /// <summary>Escalation policies: who is notified, in which order, after which delays.</summary>
    public IReadOnlyList<EscalationPolicyConfig> EscalationPolicies { get; set; } = [];

    /// <summary>Outbound notification channels: webhook, Slack, e-mail, command.</summary>
    public IReadOnlyList<NotifierConfig> Notifiers { get; set; } = [];

    /// <summary>Maintenance windows, one-off or recurring, that suppress paging for services.</summary>
    public IReadOnlyList<MaintenanceConfig> Maintenance { get; set; } = [];

    /// <summary>Backup jobs: what to back up, when, where to, how long to keep it, and how restores are tested (docs/backups.md).</summary>
    public IReadOnlyList<BackupConfig> Backups { get; set; } = [];

    /// <summary>Where runbooks live and how they are governed and scheduled.</summary>
    public RunbooksConfig Runbooks { get; set; } = new();

    /// <summary>Inbound integrations: the Alertmanager webhook and the generic events API.</summary>
    public IntegrationsConfig Integrations { get; set; } = new();

    /// <summary>How signals become incidents: reopen window, grouping, auto-resolve and the PIR template.</summary>
    public IncidentsConfig Incidents { get; set; } = new();

    /// <summary>What <c>vigil gate</c> checks before a deploy.</summary>
    public GateConfig Gate { get; set; } = new();

    /// <summary>What every SLO (<c>services[].slos</c>) shares unless it sets its own: burn-rate alerts, their severities, the evaluation interval.</summary>
    public SloDefaultsConfig SloDefaults { get; set; } = new();
    /// <summary>The audit trail: how often its head is signed.</summary>
    public AuditConfig Audit { get; set; } = new();

    /// <summary>The public status page: title, logo, message, which public services show, and its path.</summary>
    public StatusPageConfig StatusPage { get; set; } = new();

    /// <summary>Vigil's own telemetry: the Prometheus <c>/metrics</c> endpoint and OTLP export of traces, metrics and logs. Read at start: a change needs a restart.</summary>
    public TelemetryConfig Telemetry { get; set; } = new();

    /// <summary>Clustered mode: this node's id, its heartbeat into the store, and the leader lease (docs/operations.md). Read at start: a change needs a restart.</summary>
    public ClusterConfig Cluster { get; set; } = new();

    /// <summary>
    /// <c>sha256:&lt;64 hex&gt;</c> over the normalized config, computed at load (see <see cref="ConfigDigest"/>).
    /// Equal configs have equal digests however they are formatted or split into files.
    /// </summary>
    [ConfigIgnore]
    public string Digest { get; internal set; } = string.Empty;

    /// <summary>The folder of the root config file; relative paths in the config resolve against it.</summary>
    [ConfigIgnore]
    public string BaseDirectory { get; internal set; } = string.Empty;

    /// <summary>
    /// What the load warned about (a secret written literally, an include pattern that matched nothing,
    /// a section that is accepted but not active in this version). The config is valid regardless.
    /// </summary>
    [ConfigIgnore]
    public IReadOnlyList<ConfigError> Warnings { get; internal set; } = [];

    /// <summary>Where values came from and which were env templates (null for a config built in code).</summary>
    internal ConfigSourceInfo? Source { get; set; }

    /// <summary>Resolves a path from the config (a runbook folder, a checklist) against <see cref="BaseDirectory"/>.</summary>
    public string ResolvePath(string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(BaseDirectory, path));

    public SeverityConfig? FindSeverity(string id) => Severities.FirstOrDefault(s => s.Id == id);

    public ServiceConfig? FindService(string id) => Services.FirstOrDefault(s => s.Id == id);

    public PersonConfig? FindPerson(string id) => People.FirstOrDefault(p => p.Id == id);

    public ScheduleConfig? FindSchedule(string id) => Schedules.FirstOrDefault(s => s.Id == id);

    public EscalationPolicyConfig? FindEscalationPolicy(string id) => EscalationPolicies.FirstOrDefault(p => p.Id == id);

    public NotifierConfig? FindNotifier(string id) => Notifiers.FirstOrDefault(n => n.Id == id);

    /// <summary>
    /// The severity of a check's signals: the check's own <c>severity</c>, else its service's, else
    /// the least severe level (the last in <see cref="Severities"/>).
    /// </summary>
    public SeverityConfig ResolveSeverity(ServiceConfig service, CheckConfig? check = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        var id = check?.Severity ?? service.Severity;
        return (id is null ? null : FindSeverity(id)) ?? Severities[^1];
    }

    /// <summary>
    /// The escalation policy for an incident: the service's <c>escalation_policy</c>, else the
    /// severity's, else the policy with id <c>default</c>, else none.
    /// </summary>
    public EscalationPolicyConfig? ResolveEscalationPolicy(ServiceConfig? service, SeverityConfig severity)
    {
        ArgumentNullException.ThrowIfNull(severity);
        var id = service?.EscalationPolicy ?? severity.EscalationPolicy ?? "default";
        return FindEscalationPolicy(id);
    }
}
