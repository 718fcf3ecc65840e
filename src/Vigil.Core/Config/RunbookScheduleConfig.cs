namespace Vigil.Core.Config;

/// <summary>A scheduled runbook run (an entry of <c>runbooks.schedules:</c>); runs are non-interactive.</summary>
public sealed class RunbookScheduleConfig
{
    /// <summary>Id of the schedule.</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>Runbook id (from its front matter) or file path relative to the config file.</summary>
    [Mandatory]
    [NotEmpty]
    public string Runbook { get; set; } = string.Empty;

    /// <summary>Procedure (heading) to run; defaults to the runbook's only procedure.</summary>
    public string? Procedure { get; set; }

    /// <summary>When to run.</summary>
    [Mandatory]
    [Cron]
    public string Cron { get; set; } = string.Empty;

    /// <summary>Time zone of <c>cron</c>.</summary>
    [TimeZoneId]
    public string Timezone { get; set; } = "UTC";

    /// <summary>Parameter values passed to the run.</summary>
    public IReadOnlyDictionary<string, string> Params { get; set; } = new Dictionary<string, string>();

    /// <summary>Steps marked <c>confirm=true</c> that this schedule may run unattended (step names or numbers, or <c>all</c>); others make the run fail before it starts.</summary>
    public IReadOnlyList<string> Confirm { get; set; } = [];

    /// <summary>Severity of the signal a failed run raises (an incident, resolved by the next successful run); default: the least severe level.</summary>
    [ReferenceTo("severities")]
    public string? Severity { get; set; }

    /// <summary>Defined but not run.</summary>
    public bool Paused { get; set; }
}
