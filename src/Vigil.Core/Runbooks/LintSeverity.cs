namespace Vigil.Core.Runbooks;

/// <summary>How serious a lint finding is. <c>vigil runbook lint</c> fails on errors; warnings are advice; info is a note.</summary>
public enum LintSeverity
{
    /// <summary>Worth fixing; the runbook still works.</summary>
    Warning,

    /// <summary>Unsafe or broken: a destructive step with no guard, a parameter no run can supply, a secret in the file.</summary>
    Error,

    /// <summary>Worth knowing, nothing to fix: a placeholder a person fills in when reading, a console block that is output.</summary>
    Info,
}
