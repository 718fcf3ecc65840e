namespace Vigil.Core.Runbooks;

/// <summary>What the linter needs from outside the runbook.</summary>
/// <param name="Today">The date <c>last_reviewed</c> is judged against (from the caller's <see cref="TimeProvider"/>).</param>
/// <param name="ReviewEvery">The config's <c>runbooks.review_every</c>; a runbook's own <c>review_every</c> takes precedence.</param>
/// <param name="BaseDirectory">The folder a relative <see cref="Runbook.Path"/> is relative to (links are checked from the runbook's folder); null: the process's current folder.</param>
public sealed record LintContext(DateOnly Today, TimeSpan? ReviewEvery, string? BaseDirectory = null)
{
    /// <summary>The project's lint policy (rule settings, executable runbooks, ignored front matter keys); default: none.</summary>
    public LintPolicy Policy { get; init; } = LintPolicy.None;
}
