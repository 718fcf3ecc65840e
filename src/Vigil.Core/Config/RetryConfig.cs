namespace Vigil.Core.Config;

/// <summary>Retries with exponential backoff (<c>retry:</c>): the delay doubles after each failed attempt up to <c>max_backoff</c>.</summary>
public sealed class RetryConfig : IConfigValidatable
{
    /// <summary>Total attempts, including the first.</summary>
    [NumberRange(1, 100)]
    public int Attempts { get; set; } = 5;

    /// <summary>Delay before the first retry.</summary>
    [Positive]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest delay between attempts.</summary>
    [Positive]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    void IConfigValidatable.Validate(ConfigValidationContext context, string path)
    {
        if (MaxBackoff < InitialBackoff)
        {
            context.Error(ConfigPath.Member(path, "max_backoff"), $"`max_backoff` ({Duration.Format(MaxBackoff)}) must be at least `initial_backoff` ({Duration.Format(InitialBackoff)})");
        }
    }
}
