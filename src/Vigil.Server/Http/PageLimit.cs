namespace Vigil.Server.Http;

/// <summary>The <c>?limit=N</c> of every list route: 1–1000, a route's own default when absent, a 400 problem otherwise.</summary>
internal static class PageLimit
{
    public const int Max = 1000;

    /// <summary>The limit to use, or the problem to answer when it is out of range.</summary>
    public static bool TryResolve(int? limit, int fallback, out int value, out Microsoft.AspNetCore.Http.IResult? problem)
    {
        value = limit ?? fallback;
        problem = value is < 1 or > Max
            ? Problems.Invalid("limit", $"must be between 1 and {Max} (got {value}); ask for fewer, newest first")
            : null;
        return problem is null;
    }
}
