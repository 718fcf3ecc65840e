namespace Vigil.Core.Config;

/// <summary>A service (an entry of <c>services:</c>): what it depends on, how it is checked, who owns it.</summary>
public sealed class ServiceConfig : IConfigValidatable
{
    private string? _name;

    /// <summary>Stable id, used in incidents, the API and <c>depends_on</c> (like <c>edge-api</c>).</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>Display name; defaults to the id.</summary>
    [NotEmpty]
    [DocDefault("the id")]
    public string Name { get => _name ?? Id; set => _name = value; }

    /// <summary>What the service is, for responders and the status page.</summary>
    public string? Description { get; set; }

    /// <summary>Owning team, shown on incidents and used in reports.</summary>
    public string? Owner { get; set; }

    /// <summary>Services this one needs. While a dependency is down, this service's alerts are recorded but do not page.</summary>
    [ReferenceTo("services")]
    public IReadOnlyList<string> DependsOn { get; set; } = [];

    /// <summary>Whether the service appears on the public status page (<c>/status</c>, its JSON, feed and badges), with its state, uptime, incidents and maintenance.</summary>
    public bool Public { get; set; }

    /// <summary>Runbook files for this service, relative to the config file.</summary>
    public IReadOnlyList<string> Runbooks { get; set; } = [];

    /// <summary>Deprecated: the single SLO of earlier versions. It is read as entries of <c>slos</c> (see docs/slos.md, "Migrating from slo"), and a warning says so.</summary>
    public SloConfig? Slo { get; set; }

    /// <summary>Service level objectives: availability, latency or Prometheus SLIs with error budgets and burn-rate alerts (see docs/slos.md).</summary>
    public IReadOnlyList<ServiceSloConfig> Slos { get; set; } = [];

    /// <summary>Recovery time objective: how long restoring this service may take after a loss, like <c>4h</c> (between 1s and 366d). The RTO that fault-injection drills of this service are judged against (see docs/runbooks.md#drills); <c>vigil drill run --rto</c> overrides it.</summary>
    [Positive]
    public TimeSpan? Rto { get; set; }

    /// <summary>Recovery point objective: how much recent data, as time, this service may lose, like <c>1h</c> (between 1s and 366d). Compared with the age of its newest recovery point, the last successful ping of a heartbeat check marked <c>backup: true</c>; a breach fires <c>rpo/&lt;service&gt;</c> (see docs/slos.md).</summary>
    [Positive]
    public TimeSpan? Rpo { get; set; }

    /// <summary>The checks that probe this service.</summary>
    public IReadOnlyList<CheckConfig> Checks { get; set; } = [];

    /// <summary>Default severity for this service's checks that do not set one.</summary>
    [ReferenceTo("severities")]
    public string? Severity { get; set; }

    /// <summary>Escalation policy for this service's incidents; takes precedence over the severity's policy.</summary>
    [ReferenceTo("escalation_policies")]
    public string? EscalationPolicy { get; set; }

    /// <summary>Labels copied onto this service's signals and incidents (for routing and silences).</summary>
    [Labels]
    public IReadOnlyDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        for (var i = 0; i < DependsOn.Count; i++)
        {
            if (DependsOn[i] == Id)
            {
                context.Error(ConfigPath.Index(ConfigPath.Member(path, "depends_on"), i), $"service `{Id}` depends on itself; remove it from `depends_on`");
            }
        }

        CheckObjective(context, path, "rto", Rto);
        CheckObjective(context, path, "rpo", Rpo);

        if (Slo is not null && Slos.Count > 0)
        {
            context.Error(ConfigPath.Member(path, "slo"), $"service `{Id}` sets both `slo` (deprecated) and `slos`; move the `slo` objectives into `slos` (see docs/slos.md, \"Migrating from slo\")");
        }

        for (var i = 0; i < Slos.Count; i++)
        {
            if (Slos[i] is not { } slo)
            {
                continue;
            }

            var sli = slo.Availability is not null ? "availability" : slo.Latency is not null ? "latency" : null;
            if (sli is null)
            {
                continue;
            }

            var checkIds = Checks.Select(c => c?.Id).Where(id => id is not null).ToList();
            var listed = slo.SliChecks;
            for (var j = 0; j < listed.Count; j++)
            {
                if (listed[j] is { } id && !checkIds.Contains(id))
                {
                    var known = checkIds.Count == 0 ? "this service has no checks" : "its checks are " + string.Join(", ", checkIds.Select(c => $"`{c}`"));
                    context.Error(ConfigPath.Index(ConfigPath.Member(ConfigPath.Member(ConfigPath.Index(ConfigPath.Member(path, "slos"), i), sli), "checks"), j),
                        Suggest.DidYouMean(id, checkIds!) is { Length: > 0 } hint
                            ? $"`{id}` is not a check of service `{Id}`{hint}"
                            : $"`{id}` is not a check of service `{Id}`; {known}");
                }
            }

            if (listed.Count == 0 && checkIds.Count == 0)
            {
                context.Error(ConfigPath.Member(ConfigPath.Index(ConfigPath.Member(path, "slos"), i), sli),
                    $"SLO `{slo.Id}` reads check history, but service `{Id}` has no checks; add a check, or use a `prometheus` SLI");
            }
        }

        if (Slo is not null)
        {
            var checkIds = Checks.Select(c => c?.Id).Where(id => id is not null).ToList();
            for (var i = 0; i < Slo.Checks.Count; i++)
            {
                var id = Slo.Checks[i];
                if (id is not null && !checkIds.Contains(id))
                {
                    var known = checkIds.Count == 0 ? "this service has no checks" : "its checks are " + string.Join(", ", checkIds.Select(c => $"`{c}`"));
                    context.Error(ConfigPath.Index(ConfigPath.Member(ConfigPath.Member(path, "slo"), "checks"), i),
                        Suggest.DidYouMean(id, checkIds!) is { Length: > 0 } hint
                            ? $"`{id}` is not a check of service `{Id}`{hint}"
                            : $"`{id}` is not a check of service `{Id}`; {known}");
                }
            }
        }
    }

    /// <summary>The longest recovery objective accepted: a year and a day, like an SLO window.</summary>
    public static readonly TimeSpan MaxRecoveryObjective = TimeSpan.FromDays(366);

    private void CheckObjective(ConfigValidationContext context, string path, string key, TimeSpan? value)
    {
        // Zero and negative values are refused by [Positive]; sub-second objectives cannot be measured.
        if (value is { } v && v > TimeSpan.Zero && (v < TimeSpan.FromSeconds(1) || v > MaxRecoveryObjective))
        {
            var what = key == "rto" ? "recovery time objective" : "recovery point objective";
            context.Error(ConfigPath.Member(path, key),
                $"`{key}` of service `{Id}` must be between 1s and 366d (the {what}, like {(key == "rto" ? "4h" : "1h")})");
        }
    }
}
