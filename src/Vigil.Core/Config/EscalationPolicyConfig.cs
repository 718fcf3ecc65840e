namespace Vigil.Core.Config;

/// <summary>
/// An escalation policy (an entry of <c>escalation_policies:</c>): steps that notify targets after
/// delays measured from when the incident triggered, until someone acknowledges. After the last step
/// the policy starts over from the first step, <c>repeat</c> more times.
/// </summary>
public sealed class EscalationPolicyConfig : IConfigValidatable
{
    private string? _name;

    /// <summary>Id named by severities and services; the policy with id <c>default</c> applies when none is named.</summary>
    [Mandatory]
    [Identifier]
    public string Id { get; set; } = string.Empty;

    /// <summary>Display name; defaults to the id.</summary>
    [NotEmpty]
    [DocDefault("the id")]
    public string Name { get => _name ?? Id; set => _name = value; }

    /// <summary>Steps in order; each <c>after</c> must be at least the previous one's.</summary>
    [Mandatory]
    [NotEmpty]
    public IReadOnlyList<EscalationStepConfig> Steps { get; set; } = [];

    /// <summary>How many more times to run the steps after the last one while unacknowledged.</summary>
    [NumberRange(0, 10)]
    public int Repeat { get; set; }

    /// <summary>
    /// Time from the start of one pass through the steps to the start of the next (when
    /// <c>repeat</c> &gt; 0). Default: the last step's <c>after</c> plus 15m.
    /// </summary>
    [Positive]
    public TimeSpan? RepeatEvery { get; set; }

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        for (var i = 1; i < Steps.Count; i++)
        {
            if (Steps[i] is { } step && Steps[i - 1] is { } previous && step.After < previous.After)
            {
                context.Error(ConfigPath.Member(ConfigPath.Index(ConfigPath.Member(path, "steps"), i), "after"),
                    $"steps must be in time order: this step's `after` ({Duration.Format(step.After)}) is earlier than the previous step's ({Duration.Format(previous.After)})");
            }
        }
    }
}
