namespace Vigil.Core.Config;

/// <summary>One severity level (an entry of <c>severities:</c>), such as P1 or SEV2.</summary>
public sealed class SeverityConfig
{
    private string? _name;

    /// <summary>Id used to refer to this level from checks, services and routes (like <c>P1</c>).</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>Display name (like <c>High</c>); defaults to the id.</summary>
    [NotEmpty]
    [DocDefault("the id")]
    public string Name { get => _name ?? Id; set => _name = value; }

    /// <summary>What this level means, shown to responders.</summary>
    public string? Description { get; set; }

    /// <summary>Target time to acknowledge; incidents not acked in time count as response-target breaches.</summary>
    [Positive]
    public TimeSpan? AckWithin { get; set; }

    /// <summary>Target time to resolve, for reports.</summary>
    [Positive]
    public TimeSpan? ResolveWithin { get; set; }

    /// <summary>Whether incidents of this level page people (true) or only open a ticket (false).</summary>
    public bool Page { get; set; }

    /// <summary>Whether an incident of this level can only be closed after its post-incident review was written (<c>vigil incident pir</c>).</summary>
    public bool RequirePir { get; set; }

    /// <summary>Markdown checklist shown on incidents of this level, relative to the config file.</summary>
    public string? Checklist { get; set; }

    /// <summary>
    /// Notifiers told once when an incident of this level opens (a ticket or a low-urgency channel),
    /// whether or not the level pages.
    /// </summary>
    [ReferenceTo("notifiers")]
    public IReadOnlyList<string> Notify { get; set; } = [];

    /// <summary>Escalation policy for incidents of this level (a service's own policy takes precedence).</summary>
    [ReferenceTo("escalation_policies")]
    public string? EscalationPolicy { get; set; }

    /// <summary>A runbook procedure Vigil runs by itself when an incident of this level opens (a check's own <c>remediate:</c> and a signal's <c>remediate</c> label come first). Off unless set.</summary>
    public RemediationConfig? Remediate { get; set; }
}
