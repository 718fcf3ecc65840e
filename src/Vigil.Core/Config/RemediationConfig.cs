namespace Vigil.Core.Config;

/// <summary>
/// Automatic remediation (<c>remediate:</c> on a check or a severity, or an entry of
/// <c>runbooks.remediations</c> that a signal's <c>remediate</c> label names): a runbook procedure Vigil runs
/// unattended when an incident opens, within guard rails (never during a freeze, never a procedure that
/// needs approval or a confirmation, a cooldown and at most <c>max_runs</c> per window). Off unless written.
/// </summary>
public sealed class RemediationConfig : IConfigValidatable
{
    /// <summary>Id a signal's <c>remediate</c> label names (entries of <c>runbooks.remediations</c> only; a check's or severity's <c>remediate:</c> has none).</summary>
    [Identifier]
    public string? Id { get; set; }

    /// <summary>Runbook id (from its front matter) or file path relative to the config file.</summary>
    [Mandatory]
    [NotEmpty]
    public string Runbook { get; set; } = string.Empty;

    /// <summary>Procedure (heading slug) to run; defaults to the runbook's only procedure.</summary>
    public string? Procedure { get; set; }

    /// <summary>Parameter values passed to the run, checked as for any run.</summary>
    public IReadOnlyDictionary<string, string> Params { get; set; } = new Dictionary<string, string>();

    /// <summary>At most this many runs per window for the same check, label remediation or severity and service, like <c>2 per 1h</c>; a further incident is left to people (and escalates at once).</summary>
    public RunLimit MaxRuns { get; set; } = new(3, TimeSpan.FromHours(1));

    /// <summary>After a run starts, how long before the same remediation may run again.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(5);

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        var named = path.StartsWith("runbooks.remediations", StringComparison.Ordinal);
        if (named && string.IsNullOrEmpty(Id))
        {
            context.Error(path, "an entry of `runbooks.remediations` needs an `id`, which a signal's `remediate` label names");
        }
        else if (!named && Id is not null)
        {
            context.Warning(ConfigPath.Member(path, "id"), "`id` is only used by entries of `runbooks.remediations` (which a signal's `remediate` label names); here it does nothing");
        }

        if (Cooldown < TimeSpan.Zero || Cooldown > TimeSpan.FromDays(7))
        {
            context.Error(ConfigPath.Member(path, "cooldown"), $"`cooldown` is {Duration.Format(Cooldown)}; write a duration from 0s to 7d");
        }
    }
}
