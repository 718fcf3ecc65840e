namespace Vigil.Core.Runbooks;

/// <summary>
/// A step's <c>when=</c> condition, read from its fence attributes: <c>when="$STEP_OUTPUT =~ REGEX"</c> (or <c>!~</c>) tests
/// the recorded output of the step that ran just before it (in the run's order, a failed step that branched here included),
/// or, with <c>from=NAME</c>, of the latest step named NAME that ran in this run. The step runs only when it holds.
/// </summary>
/// <param name="Text">The condition as written.</param>
/// <param name="Pattern">The .NET regular expression (multiline: <c>^</c> and <c>$</c> match at each line).</param>
/// <param name="Negated">True for <c>!~</c>: the step runs when the output does not match.</param>
/// <param name="From">The name of the step whose output is tested, or null for the step that ran just before.</param>
public sealed record StepCondition(string Text, string Pattern, bool Negated, string? From)
{
    /// <summary>Whose output is tested, in words.</summary>
    public string Source => From is null ? "the previous step's output" : $"the output of step {From}";

    /// <summary>One line for plans and run output: <c>when the previous step's output matches /OOM/</c>.</summary>
    public string Describe() => $"when {Source} {(Negated ? "does not match" : "matches")} /{Pattern}/";
}

/// <summary>Whether a conditional step runs.</summary>
public enum ConditionVerdict
{
    /// <summary>The condition holds: the step runs.</summary>
    Run,

    /// <summary>The condition does not hold (or there is no output to test): the step is recorded <c>skipped</c>.</summary>
    Skip,

    /// <summary>The condition could not be decided (the pattern ran past its time limit): the step fails.</summary>
    Error,
}

/// <summary>A condition's verdict with the sentence that says why.</summary>
public sealed record ConditionDecision(ConditionVerdict Verdict, string Message);
