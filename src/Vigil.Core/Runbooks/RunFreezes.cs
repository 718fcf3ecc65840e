using System.Globalization;
using Vigil.Core.Operations;

namespace Vigil.Core.Runbooks;

/// <summary>What freezes mean for a run (the rule itself is <see cref="Freeze.Covers"/>).</summary>
public static class RunFreezes
{
    /// <summary>
    /// Why a run cannot start under <paramref name="freezes"/>, or null when it can: it has mutating steps,
    /// a freeze covers its service, and nobody overrode the freeze on the record.
    /// </summary>
    public static string? StartRefusal(IEnumerable<Freeze> freezes, RunbookPlan plan, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        var mutating = plan.AllSteps.Where(s => s.Mutating).ToList();
        if (request.FreezeOverride is not null || mutating.Count == 0 || Freeze.FirstCovering(freezes, request.Service) is not { } freeze)
        {
            return null;
        }

        return $"{Describe(freeze)}, and steps {string.Join(", ", mutating.Select(s => s.InBranch ? $"{s.Index} of {s.Procedure}" : s.Index.ToString(CultureInfo.InvariantCulture)))} of {request.Procedure} change something. "
            + "Wait for 'vigil unfreeze', or have an operator run it with --override-freeze --reason R (recorded in the audit trail).";
    }

    /// <summary>The freeze that refuses <paramref name="step"/> of a run now, or null when the step may run.</summary>
    public static Freeze? Refusing(IEnumerable<Freeze> freezes, PlannedStep step, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(request);
        return step.Mutating && request.FreezeOverride is null ? Freeze.FirstCovering(freezes, request.Service) : null;
    }

    /// <summary>A freeze in a sentence: what is frozen, its number, who froze it and why.</summary>
    public static string Describe(Freeze freeze)
    {
        ArgumentNullException.ThrowIfNull(freeze);
        return $"{(freeze.Service is null ? "everything is frozen" : $"service {freeze.Service} is frozen")} (freeze #{freeze.Id} by {freeze.CreatedBy}: {freeze.Reason})";
    }
}
