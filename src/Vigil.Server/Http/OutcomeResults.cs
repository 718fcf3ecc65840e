using Microsoft.AspNetCore.Http;
using Vigil.Core.Results;

namespace Vigil.Server.Http;

/// <summary>The edge where Core's <see cref="Outcome{T}"/> and <see cref="Refused"/> become HTTP answers (ProblemDetails).</summary>
internal static class OutcomeResults
{
    /// <summary>404 for <see cref="RefusalKind.NotFound"/>, 409 for <see cref="RefusalKind.Conflict"/>.</summary>
    public static IResult ToProblem(this Refused refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return refused.Kind switch
        {
            RefusalKind.NotFound => Problems.NotFound(refused.Message),
            _ => Problems.Conflict(refused.Message),
        };
    }

    /// <summary>The value as <paramref name="ok"/> answers it, or the refusal as ProblemDetails.</summary>
    public static IResult ToResult<T>(this Outcome<T> outcome, Func<T, IResult> ok) => outcome.Match(ok, ToProblem);
}
