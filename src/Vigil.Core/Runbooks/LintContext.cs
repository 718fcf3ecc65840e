namespace Vigil.Core.Runbooks;

/// <summary>What the linter needs from outside the runbook.</summary>
/// <param name="Today">The date <c>last_reviewed</c> is judged against (from the caller's <see cref="TimeProvider"/>).</param>
/// <param name="ReviewEvery">The config's <c>runbooks.review_every</c>; a runbook's own <c>review_every</c> takes precedence.</param>
/// <param name="BaseDirectory">The folder a relative <see cref="Runbook.Path"/> is relative to (links are checked from the runbook's folder); null: the process's current folder.</param>
public sealed record LintContext(DateOnly Today, TimeSpan? ReviewEvery, string? BaseDirectory = null)
{
    /// <summary>The project's lint policy (rule settings, executable runbooks, ignored front matter keys); default: none.</summary>
    public LintPolicy Policy { get; init; } = LintPolicy.None;

    /// <summary>Every configured check as "service/check", for health gates that name one; null: lint runs without a config, so targets are not checked.</summary>
    public IReadOnlyCollection<string>? CheckKeys { get; init; }

    /// <summary>The checks of <paramref name="config"/> as "service/check".</summary>
    public static IReadOnlyCollection<string> ChecksOf(Config.VigilConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Services.Where(s => s is not null).SelectMany(s => s.Checks.Where(c => c is not null).Select(c => $"{s.Id}/{c.Id}")).ToHashSet(StringComparer.Ordinal);
    }
}
