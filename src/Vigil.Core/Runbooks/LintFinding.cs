namespace Vigil.Core.Runbooks;

/// <summary>One problem the runbook linter found.</summary>
/// <param name="Rule">The rule id, such as <c>destructive-command</c> (see <see cref="RunbookLinter.Rules"/>).</param>
/// <param name="Severity">The rule's severity.</param>
/// <param name="File">The runbook (or config) file, as its path was given.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Message">What is wrong. Never contains a secret's value.</param>
/// <param name="Fix">How to fix it, or how to silence the rule when the finding is intended.</param>
public sealed record LintFinding(string Rule, LintSeverity Severity, string File, int Line, string Message, string Fix)
{
    /// <summary><c>file:line: severity rule: message</c>, the form editors and CI annotations understand.</summary>
    public override string ToString() =>
        $"{File}:{Line}: {(Severity == LintSeverity.Error ? "error" : "warning")} {Rule}: {Message}";
}
