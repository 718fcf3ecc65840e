namespace Vigil.Core.Config;

/// <summary>One escalation step (an entry of <c>steps:</c>).</summary>
public sealed class EscalationStepConfig
{
    /// <summary>Delay after the incident triggered (or the repeat started) before this step notifies.</summary>
    public TimeSpan After { get; set; } = TimeSpan.Zero;

    /// <summary>Targets: <c>schedule:&lt;id&gt;</c>, <c>person:&lt;id&gt;</c> or <c>notifier:&lt;id&gt;</c>.</summary>
    [Mandatory]
    [NotEmpty]
    public IReadOnlyList<NotifyTarget> Notify { get; set; } = [];
}
