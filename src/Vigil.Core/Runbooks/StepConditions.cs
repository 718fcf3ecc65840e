using System.Text.RegularExpressions;

namespace Vigil.Core.Runbooks;

/// <summary>
/// <c>when=</c> conditions as pure functions: reading them from fence attributes (<see cref="TryRead"/>) and deciding them
/// from captured output (<see cref="Evaluate"/>). Nothing is evaluated by a shell: the output is matched by a .NET regular
/// expression with a time limit.
/// </summary>
public static class StepConditions
{
    /// <summary>The attribute of a condition.</summary>
    public const string WhenKey = "when";

    /// <summary>The attribute that names the step whose output a condition tests.</summary>
    public const string FromKey = "from";

    /// <summary>How long one match may take; a pattern that takes longer fails its step rather than hang the run.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private const string Variable = "$STEP_OUTPUT";
    private const string BracedVariable = "${STEP_OUTPUT}";
    private const string Form = "write it as when=\"$STEP_OUTPUT =~ REGEX\" (or !~ for does not match), optionally with from=STEP-NAME";

    /// <summary>
    /// Reads the condition of a step from its attributes. Returns false with <paramref name="error"/> (what is wrong and how
    /// to write it) when the attributes hold a condition that does not read; true with a null <paramref name="condition"/> when there is none.
    /// </summary>
    public static bool TryRead(IReadOnlyDictionary<string, string> attributes, out StepCondition? condition, out string? error)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        condition = null;
        error = null;
        var when = attributes.GetValueOrDefault(WhenKey);
        var from = attributes.GetValueOrDefault(FromKey);
        if (when is null)
        {
            if (from is not null)
            {
                error = $"attribute from='{from}' names the step whose output when= tests, but the step has no when=; add when=\"$STEP_OUTPUT =~ REGEX\" or drop from=";
                return false;
            }

            return true;
        }

        if (from is not null && from.Trim().Length == 0)
        {
            error = "attribute from= is empty; name the step whose output when= tests (its name= attribute), or drop from= to test the previous step";
            return false;
        }

        var text = when.Trim();
        var rest = text.StartsWith(BracedVariable, StringComparison.Ordinal) ? text[BracedVariable.Length..]
            : text.StartsWith(Variable, StringComparison.Ordinal) ? text[Variable.Length..]
            : null;
        if (rest is null || rest.Length > 0 && !char.IsWhiteSpace(rest[0]))
        {
            error = $"attribute when='{Clip(when)}' does not test $STEP_OUTPUT; {Form}";
            return false;
        }

        rest = rest.TrimStart();
        var negated = rest.StartsWith("!~", StringComparison.Ordinal);
        if (!negated && !rest.StartsWith("=~", StringComparison.Ordinal))
        {
            error = $"attribute when='{Clip(when)}' has no =~ or !~ after $STEP_OUTPUT; {Form}";
            return false;
        }

        var pattern = rest[2..].Trim();
        if (pattern.Length == 0)
        {
            error = $"attribute when='{Clip(when)}' has no pattern after {(negated ? "!~" : "=~")}; {Form}";
            return false;
        }

        try
        {
            _ = Compile(pattern);
        }
        catch (ArgumentException ex)
        {
            error = $"the pattern '{Clip(pattern)}' in when= is not a valid regular expression ({ex.Message}); fix it (the syntax is .NET's, as in runbooks.param_pattern)";
            return false;
        }

        condition = new StepCondition(text, pattern, negated, from?.Trim());
        return true;
    }

    /// <summary>
    /// Decides <paramref name="condition"/> against <paramref name="output"/>, the recorded output of the step it tests
    /// (null when that step has not run in this run: the condition cannot hold, so the step is skipped).
    /// </summary>
    public static ConditionDecision Evaluate(StepCondition condition, string? output)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (output is null)
        {
            return new(ConditionVerdict.Skip, condition.From is null
                ? "no step ran before this one, so there is no output to test"
                : $"no step named {condition.From} has run in this run, so there is no output to test");
        }

        bool matched;
        try
        {
            matched = Compile(condition.Pattern).IsMatch(output);
        }
        catch (RegexMatchTimeoutException)
        {
            return new(ConditionVerdict.Error,
                $"testing {condition.Source} against /{Clip(condition.Pattern)}/ took longer than {MatchTimeout.TotalMilliseconds:0} ms; simplify the pattern");
        }

        var holds = matched != condition.Negated;
        return new(holds ? ConditionVerdict.Run : ConditionVerdict.Skip,
            $"{condition.Source} {(matched ? "matches" : "does not match")} /{condition.Pattern}/");
    }

    private static Regex Compile(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.Multiline, MatchTimeout);

    private static string Clip(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
