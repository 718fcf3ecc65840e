using System.Globalization;

namespace Vigil.Core.Config;

/// <summary>
/// A check (an entry of a service's <c>checks:</c>). It sets exactly one type key (<c>http</c>,
/// <c>tcp</c>, <c>tls</c>, <c>dns</c>, <c>command</c>, <c>heartbeat</c>, <c>prometheus</c>) plus the
/// common keys for scheduling, thresholds and severity.
/// </summary>
public sealed class CheckConfig : IConfigValidatable
{
    /// <summary>Id, unique within the service (like <c>health</c>).</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>Display name; defaults to the id.</summary>
    public string? Name { get; set; }

    /// <summary>What a failure of this check means, shown on incidents.</summary>
    public string? Description { get; set; }

    /// <summary>HTTP(S) request with status, body, JSON, latency and TLS assertions.</summary>
    [Variant]
    public HttpCheckConfig? Http { get; set; }

    /// <summary>TCP connect, optionally sending a line and expecting a reply.</summary>
    [Variant]
    public TcpCheckConfig? Tcp { get; set; }

    /// <summary>TLS certificate expiry.</summary>
    [Variant]
    public TlsCheckConfig? Tls { get; set; }

    /// <summary>DNS lookup with expected answers.</summary>
    [Variant]
    public DnsCheckConfig? Dns { get; set; }

    /// <summary>A local command: its exit code, or a number it prints compared against thresholds.</summary>
    [Variant]
    public CommandCheckConfig? Command { get; set; }

    /// <summary>Dead-man's switch: something must ping Vigil every period (or per cron), or the check fails.</summary>
    [Variant]
    public HeartbeatCheckConfig? Heartbeat { get; set; }

    /// <summary>A PromQL query whose value is compared against thresholds.</summary>
    [Variant]
    public PrometheusCheckConfig? Prometheus { get; set; }

    /// <summary>Interval between runs.</summary>
    [Positive]
    public TimeSpan Every { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one run may take before it counts as failed (critical).</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Random delay up to this long added to each run, to spread load; must be shorter than <c>every</c>.</summary>
    public TimeSpan Jitter { get; set; } = TimeSpan.Zero;

    /// <summary>Consecutive failed runs before the check changes to warning or critical.</summary>
    [NumberRange(1, 100)]
    public int FailAfter { get; set; } = 1;

    /// <summary>Consecutive passing runs before a failing check returns to ok.</summary>
    [NumberRange(1, 100)]
    public int PassAfter { get; set; } = 1;

    /// <summary>How long a failing state must last before it raises a signal (like Prometheus <c>for:</c>).</summary>
    public TimeSpan For { get; set; } = TimeSpan.Zero;

    /// <summary>Warning when the value (command output or query result) is above this.</summary>
    public double? WarnAbove { get; set; }

    /// <summary>Critical when the value is above this; must be greater than <c>warn_above</c>.</summary>
    public double? CriticalAbove { get; set; }

    /// <summary>Warning when the value is below this.</summary>
    public double? WarnBelow { get; set; }

    /// <summary>Critical when the value is below this; must be less than <c>warn_below</c>.</summary>
    public double? CriticalBelow { get; set; }

    /// <summary>Severity of the signals this check raises; defaults to the service's severity, then the least severe level.</summary>
    [ReferenceTo("severities")]
    public string? Severity { get; set; }

    /// <summary>Runbook to follow when this check fails (a file relative to the config, or a runbook id).</summary>
    public string? Runbook { get; set; }

    /// <summary>A runbook procedure Vigil runs by itself when this check's incident opens, within guard rails (see docs/runbooks.md#automatic-remediation). Off unless set.</summary>
    public RemediationConfig? Remediate { get; set; }

    /// <summary>Labels added to this check's signals, on top of the service's.</summary>
    [Labels]
    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

    /// <summary>Start paused: the check is defined but not run until resumed.</summary>
    public bool Paused { get; set; }

    /// <summary>The check's type, from whichever type key is set.</summary>
    public CheckKind Kind =>
        Http is not null ? CheckKind.Http
        : Tcp is not null ? CheckKind.Tcp
        : Tls is not null ? CheckKind.Tls
        : Dns is not null ? CheckKind.Dns
        : Command is not null ? CheckKind.Command
        : Heartbeat is not null ? CheckKind.Heartbeat
        : CheckKind.Prometheus;

    /// <summary>Whether any of the four thresholds is set.</summary>
    public bool HasThresholds => WarnAbove is not null || CriticalAbove is not null || WarnBelow is not null || CriticalBelow is not null;

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        var isPush = Heartbeat is not null;
        if (!isPush && Timeout > Every)
        {
            context.Error(ConfigPath.Member(path, "timeout"), $"`timeout` ({Duration.Format(Timeout)}) is longer than `every` ({Duration.Format(Every)}); runs would overlap. Shorten the timeout or run less often");
        }

        if (!isPush && Jitter >= Every && Jitter > TimeSpan.Zero)
        {
            context.Error(ConfigPath.Member(path, "jitter"), $"`jitter` ({Duration.Format(Jitter)}) must be shorter than `every` ({Duration.Format(Every)})");
        }

        if (HasThresholds && Command is null && Prometheus is null && (Http is not null || Tcp is not null || Tls is not null || Dns is not null || Heartbeat is not null))
        {
            var key = WarnAbove is not null ? "warn_above" : CriticalAbove is not null ? "critical_above" : WarnBelow is not null ? "warn_below" : "critical_below";
            context.Error(ConfigPath.Member(path, key), $"thresholds apply only to `command` and `prometheus` checks; a {Kind.ToString().ToLowerInvariant()} check passes or fails on its own assertions");
        }

        if (WarnAbove is { } wa && CriticalAbove is { } ca && wa >= ca)
        {
            context.Error(ConfigPath.Member(path, "warn_above"), $"`warn_above` ({F(wa)}) must be less than `critical_above` ({F(ca)}): the value passes the warning level before the critical one");
        }

        if (WarnBelow is { } wb && CriticalBelow is { } cb && wb <= cb)
        {
            context.Error(ConfigPath.Member(path, "warn_below"), $"`warn_below` ({F(wb)}) must be greater than `critical_below` ({F(cb)}): the value passes the warning level before the critical one");
        }

        var lowest = WarnAbove ?? CriticalAbove;
        var highest = WarnBelow ?? CriticalBelow;
        if (lowest is { } above && highest is { } below && below >= above)
        {
            context.Error(ConfigPath.Member(path, WarnBelow is not null ? "warn_below" : "critical_below"), $"the `*_below` thresholds ({F(below)}) must be under the `*_above` thresholds ({F(above)}), or no value would be ok");
        }
    }

    private static string F(double d) => d.ToString(CultureInfo.InvariantCulture);
}
