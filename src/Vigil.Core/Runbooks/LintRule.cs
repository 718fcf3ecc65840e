namespace Vigil.Core.Runbooks;

/// <summary>A rule of the runbook linter, for documentation and <c>vigil runbook lint --rules</c>.</summary>
/// <param name="Id">The id used in findings and in <c>vigil-lint disable</c> comments.</param>
/// <param name="Severity">The severity of its findings.</param>
/// <param name="Summary">What it checks, in one line.</param>
public sealed record LintRule(string Id, LintSeverity Severity, string Summary);
