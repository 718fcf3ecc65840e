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
    /// <summary>
    /// A stable id of the finding that survives line moves: a hash of the rule, the file (relative to the config's folder),
    /// the headings above the line, the line's text and the message (digits masked), plus a count among equal ones.
    /// Baselines and SARIF's <c>partialFingerprints</c> use it. Empty until the linter assigns it.
    /// </summary>
    public string Fingerprint { get; init; } = "";

    /// <summary><c>file:line: severity rule: message</c>, the form editors and CI annotations understand.</summary>
    public override string ToString() =>
        $"{File}:{Line}: {Name(Severity)} {Rule}: {Message}";

    /// <summary>The severity's lower-case name: error, warning or info.</summary>
    public static string Name(LintSeverity severity) => severity switch
    {
        LintSeverity.Error => "error",
        LintSeverity.Info => "info",
        _ => "warning",
    };
}
