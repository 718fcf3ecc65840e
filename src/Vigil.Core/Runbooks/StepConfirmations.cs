using System.Globalization;

namespace Vigil.Core.Runbooks;

/// <summary>Which steps of a run ask a person before they run.</summary>
public static class StepConfirmations
{
    /// <summary>The entry of <see cref="RunRequest.Confirmed"/> (<c>--confirm all</c>) that pre-confirms every step.</summary>
    public const string AllSteps = "all";

    /// <summary>Whether a <c>confirm=true</c> step was approved in advance (by number, name or <see cref="AllSteps"/>).</summary>
    public static bool IsPreConfirmed(IReadOnlyList<string> confirmed, PlannedStep step)
    {
        ArgumentNullException.ThrowIfNull(confirmed);
        ArgumentNullException.ThrowIfNull(step);
        return confirmed.Any(c => c == AllSteps || c == step.Index.ToString(CultureInfo.InvariantCulture) || (step.Name is not null && c == step.Name));
    }

    /// <summary>
    /// Whether the run waits for a person before <paramref name="step"/>: always step by step; a
    /// <c>confirm=true</c> step unless pre-confirmed; an ordinary step unless the run auto-confirms
    /// (<c>--yes</c>, or an earlier <see cref="ConfirmAnswer.All"/>).
    /// </summary>
    public static bool NeedsConfirmation(RunRequest request, PlannedStep step, bool autoConfirm)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(step);
        if (request.StepByStep)
        {
            return true;
        }

        return step.Confirm ? !IsPreConfirmed(request.Confirmed, step) : !autoConfirm;
    }
}
