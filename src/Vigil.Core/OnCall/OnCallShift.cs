namespace Vigil.Core.OnCall;

/// <summary>
/// Who is on call for a schedule from <paramref name="Start"/> until (not including)
/// <paramref name="End"/>, and why.
/// </summary>
/// <param name="PersonId">The person on call, or null when nobody is (every layer is outside its restrictions).</param>
/// <param name="Source">The layer or override that decided; null when nobody is on call.</param>
/// <param name="Start">When this stretch began (<see cref="DateTimeOffset.MinValue"/> when nothing before it ever changed the answer).</param>
/// <param name="End">The next instant the answer can change (<see cref="DateTimeOffset.MaxValue"/> when nothing ever will).</param>
public sealed record OnCallShift(string? PersonId, OnCallSource? Source, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>True when nobody is on call.</summary>
    public bool IsNobody => PersonId is null;

    /// <summary>The length of the stretch (a daily shift across a DST change is 23 or 25 hours); <see cref="TimeSpan.MaxValue"/> when unbounded.</summary>
    public TimeSpan Length => Start == DateTimeOffset.MinValue || End == DateTimeOffset.MaxValue ? TimeSpan.MaxValue : End - Start;

    internal bool SameAnswer(OnCallShift other) => string.Equals(PersonId, other.PersonId, StringComparison.Ordinal) && Equals(Source, other.Source);
}
