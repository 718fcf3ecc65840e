namespace Vigil.Core.StatusPage;

/// <summary>Results of one service on one day: how many, and how many failed.</summary>
public readonly record struct DayCount(long Count, long Failures)
{
    public DayCount Add(long count, long failures) => new(Count + count, Failures + failures);
}
